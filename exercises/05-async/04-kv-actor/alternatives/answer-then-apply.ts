import { spawn, mpsc, oneshot, sleepUntil, time } from "weft/task";

/** One operation of a client's script: at `at` ms after the start, get a key or set it. */
type Op = [at: number, kind: "get", key: string] | [at: number, kind: "set", key: string, value: string];

/** What a client sends the manager; the manager answers on `reply`. */
type Command =
  | { kind: "get"; key: string; reply: oneshot.Sender<string | null> }
  | { kind: "set"; key: string; value: string; reply: oneshot.Sender<string | null> };

/** The manager: owns the map; answers each command, then applies it, before it takes the next one. */
async function manager(rx: mpsc.Receiver<Command>): Promise<void> {
  const store = new Map<string, string>();
  for (let command = await rx.recv(); command !== undefined; command = await rx.recv()) {
    switch (command.kind) {
      case "get":
        command.reply.send(store.get(command.key) ?? null);
        break;
      case "set":
        // Answering first is fine: no other command can run until this one is applied (no await in between).
        command.reply.send(store.get(command.key) ?? null);
        store.set(command.key, command.value);
        break;
    }
  }
}

/** Runs one client task per script against a manager task that owns the map; returns each client's answers. */
export async function runStore(scripts: Op[][]): Promise<(string | null)[][]> {
  const start = time.now();
  const [tx, rx] = mpsc.channel<Command>(32);
  const managerTask = spawn(manager(rx));
  const clients = scripts.map((script) => {
    const mine = tx.clone();
    return spawn(async () => {
      const answers: (string | null)[] = [];
      for (const op of script) {
        await sleepUntil(start + op[0]);
        const [reply, answer] = oneshot.channel<string | null>();
        await mine.send(op[1] === "get" ? { kind: "get", key: op[2], reply } : { kind: "set", key: op[2], value: op[3], reply });
        answers.push(await answer);
      }
      return answers;
    });
  });
  tx.drop();
  const answers = [];
  for (const c of clients) answers.push(await c);
  await managerTask;
  return answers;
}

async function main() {
  console.log(await runStore([[[0, "set", "colour", "red"]], [[10, "get", "colour"]]]));
}
