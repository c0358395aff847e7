import { spawn, mpsc, oneshot, sleepUntil, time } from "weft/task";

/** One operation of a client's script: at `at` ms after the start, get a key or set it. */
type Op = [at: number, kind: "get", key: string] | [at: number, kind: "set", key: string, value: string];

/** What a client sends the manager; the manager answers on `reply`. */
type Command =
  | { kind: "get"; key: string; reply: oneshot.Sender<string | null> }
  | { kind: "set"; key: string; value: string; reply: oneshot.Sender<string | null> };

/** Runs one client task per script against a manager task that owns the map; returns each client's answers. */
export async function runStore(scripts: Op[][]): Promise<(string | null)[][]> {
  // runStore's own task is the manager: it spawns the clients, then serves commands until every client's Sender is gone.
  const start = time.now();
  const [tx, rx] = mpsc.channel<Command>(32);
  const clients = scripts.map((script, c) => {
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
  const map = new Map<string, string>();
  let command: Command | undefined;
  while ((command = await rx.recv()) !== undefined) {
    command.reply.send(map.get(command.key) ?? null);
    if (command.kind === "set") map.set(command.key, command.value);
  }
  const answers: (string | null)[][] = [];
  for (const c of clients) answers.push(await c);
  return answers;
}

async function main() {
  const answers = await runStore([
    [[0, "set", "colour", "red"], [20, "get", "colour"], [40, "set", "colour", "blue"]],
    [[10, "get", "colour"], [30, "set", "size", "L"], [50, "get", "colour"]],
  ]);
  answers.forEach((replies, client) => console.log(`client ${client}: ${JSON.stringify(replies)}`));
}
