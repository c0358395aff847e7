// fails: scripted-answers
// Sleeps each operation's time after the previous operation's answer, instead of until that time after the start: the later operations drift later and later, and clients see each other's sets in the wrong order.
import { spawn, mpsc, oneshot, sleep, sleepUntil, time } from "weft/task";

/** One operation of a client's script: at `at` ms after the start, get a key or set it. */
type Op = [at: number, kind: "get", key: string] | [at: number, kind: "set", key: string, value: string];

/** What a client sends the manager; the manager answers on `reply`. */
type Command =
  | { kind: "get"; key: string; reply: oneshot.Sender<string | null> }
  | { kind: "set"; key: string; value: string; reply: oneshot.Sender<string | null> };

/** The manager: the only task that touches the map. Ends when every Sender is gone. */
async function manager(rx: mpsc.Receiver<Command>): Promise<void> {
  const store = new Map<string, string>();
  let command: Command | undefined;
  while ((command = await rx.recv()) !== undefined) {
    const previous = store.get(command.key) ?? null;
    if (command.kind === "set") store.set(command.key, command.value);
    command.reply.send(previous);
  }
}

/** A client: each operation at its time, one command at a time, awaiting the answer. */
async function client(tx: mpsc.Sender<Command>, script: Op[], start: number): Promise<(string | null)[]> {
  const answers: (string | null)[] = [];
  for (const op of script) {
    await sleep(op[0]); // the op's time
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
  const store = spawn(manager(rx)); // rx moves into the manager's task
  const clients = scripts.map((script) => spawn(client(tx.clone(), script, start)));
  tx.drop(); // the clients hold the only Senders now: when they end, the manager's loop ends
  const answers: (string | null)[][] = [];
  for (const c of clients) answers.push(await c);
  await store; // the manager ends by itself once every Sender is gone
  return answers;
}

async function main() {
  const answers = await runStore([
    [[0, "set", "colour", "red"], [20, "get", "colour"], [40, "set", "colour", "blue"]],
    [[10, "get", "colour"], [30, "set", "size", "L"], [50, "get", "colour"]],
  ]);
  answers.forEach((replies, client) => console.log(`client ${client}: ${JSON.stringify(replies)}`));
}
