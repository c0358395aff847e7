// fails: one-command-at-a-time
// The manager answers each command at once but applies a set only after a short sleep, in a task of its own: a command that arrives in the meantime sees the map as it was before the set it follows.
import { spawn, mpsc, oneshot, sleep, sleepUntil, time } from "weft/task";

/** One operation of a client's script: at `at` ms after the start, get a key or set it. */
type Op = [at: number, kind: "get", key: string] | [at: number, kind: "set", key: string, value: string];

/** What a client sends the manager; the manager answers on `reply`. */
type Command =
  | { kind: "get"; key: string; reply: oneshot.Sender<string | null> }
  | { kind: "set"; key: string; value: string; reply: oneshot.Sender<string | null> };

/** The manager: answers at once, applies the sets a moment later. */
async function manager(rx: mpsc.Receiver<Command>): Promise<void> {
  const store = new Map<string, string>();
  const pending: Promise<void>[] = [];
  let command: Command | undefined;
  while ((command = await rx.recv()) !== undefined) {
    command.reply.send(store.get(command.key) ?? null); // replies before applying
    if (command.kind === "set") {
      const { key, value } = command;
      spawn(async () => {
        await sleep(1);
        store.set(key, value);
      });
    }
  }
}

async function client(tx: mpsc.Sender<Command>, script: Op[], start: number): Promise<(string | null)[]> {
  const answers: (string | null)[] = [];
  for (const op of script) {
    await sleepUntil(start + op[0]);
    const [reply, answer] = oneshot.channel<string | null>();
    if (op[1] === "get") await tx.send({ kind: "get", key: op[2], reply });
    else await tx.send({ kind: "set", key: op[2], value: op[3], reply });
    answers.push(await answer);
  }
  return answers;
}

/** Runs one client task per script against a manager task that owns the map; returns each client's answers. */
export async function runStore(scripts: Op[][]): Promise<(string | null)[][]> {
  const start = time.now();
  const [tx, rx] = mpsc.channel<Command>(32);
  const store = spawn(manager(rx));
  const clients = scripts.map((script) => spawn(client(tx.clone(), script, start)));
  tx.drop();
  const answers: (string | null)[][] = [];
  for (const c of clients) answers.push(await c);
  await store;
  await sleep(2); // let the last sets land
  return answers;
}

async function main() {
  console.log(await runStore([[[0, "set", "colour", "red"]], [[10, "get", "colour"]]]));
}
