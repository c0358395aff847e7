// fails: manager-ends-by-itself
// Never drops main's Sender, so the manager's recv() would wait forever; runStore aborts the manager once the clients are done instead of letting it end by itself.
import { spawn, mpsc, oneshot, sleepUntil, time } from "weft/task";

/** One operation of a client's script: at `at` ms after the start, get a key or set it. */
type Op = [at: number, kind: "get", key: string] | [at: number, kind: "set", key: string, value: string];

/** What a client sends the manager; the manager answers on `reply`. */
type Command =
  | { kind: "get"; key: string; reply: oneshot.Sender<string | null> }
  | { kind: "set"; key: string; value: string; reply: oneshot.Sender<string | null> };

export async function runStore(scripts: Op[][]): Promise<(string | null)[][]> {
  const start = time.now();
  const [tx, rx] = mpsc.channel<Command>(32);
  const manager = spawn(async () => {
    const map = new Map<string, string>();
    for (let cmd = await rx.recv(); cmd !== undefined; cmd = await rx.recv()) {
      const prev = map.get(cmd.key) ?? null;
      if (cmd.kind === "set") map.set(cmd.key, cmd.value);
      cmd.reply.send(prev);
    }
  });
  const clients = scripts.map((script) => {
    const mine = tx.clone();
    return spawn(async () => {
      const out: (string | null)[] = [];
      for (const op of script) {
        await sleepUntil(start + op[0]);
        const [reply, answer] = oneshot.channel<string | null>();
        await mine.send(op[1] === "get" ? { kind: "get", key: op[2], reply } : { kind: "set", key: op[2], value: op[3], reply });
        out.push(await answer);
      }
      return out;
    });
  });
  const answers = [];
  for (const c of clients) answers.push(await c);
  manager.abort();
  return answers;
}

async function main() {
  const answers = await runStore([
    [[0, "set", "colour", "red"], [20, "get", "colour"], [40, "set", "colour", "blue"]],
    [[10, "get", "colour"], [30, "set", "size", "L"], [50, "get", "colour"]],
  ]);
  answers.forEach((replies, client) => console.log(`client ${client}: ${JSON.stringify(replies)}`));
}
