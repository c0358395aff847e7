// The manager is an inline async closure with a switch on the command's kind; a request() helper sends one operation with its oneshot and awaits the answer.
import { spawn, mpsc, oneshot, sleepUntil, time } from "weft/task";

/** One operation of a client's script: at `at` ms after the start, get a key or set it. */
type Op = [at: number, kind: "get", key: string] | [at: number, kind: "set", key: string, value: string];

/** What a client sends the manager; the manager answers on `reply`. */
type Command =
  | { kind: "get"; key: string; reply: oneshot.Sender<string | null> }
  | { kind: "set"; key: string; value: string; reply: oneshot.Sender<string | null> };

async function request(tx: mpsc.Sender<Command>, op: Op): Promise<string | null> {
  const [reply, answer] = oneshot.channel<string | null>();
  switch (op[1]) {
    case "get":
      await tx.send({ kind: "get", key: op[2], reply });
      break;
    case "set":
      await tx.send({ kind: "set", key: op[2], value: op[3], reply });
      break;
  }
  return await answer;
}

export async function runStore(scripts: Op[][]): Promise<(string | null)[][]> {
  const start = time.now();
  const [tx, rx] = mpsc.channel<Command>(32);
  const manager = spawn(async () => {
    const map = new Map<string, string>();
    for (;;) {
      const cmd = await rx.recv();
      if (cmd === undefined) return;
      switch (cmd.kind) {
        case "get":
          cmd.reply.send(map.has(cmd.key) ? map.get(cmd.key)! : null);
          break;
        case "set": {
          const old = map.get(cmd.key);
          map.set(cmd.key, cmd.value);
          cmd.reply.send(old === undefined ? null : old);
          break;
        }
      }
    }
  });
  const clients = scripts.map((script) => {
    const mine = tx.clone();
    return spawn(async () => {
      const out: (string | null)[] = [];
      for (const op of script) {
        await sleepUntil(start + op[0]);
        out.push(await request(mine, op));
      }
      return out;
    });
  });
  tx.drop();
  const answers = [];
  for (const c of clients) answers.push(await c);
  await manager;
  return answers;
}

async function main() {
  const answers = await runStore([
    [[0, "set", "colour", "red"], [20, "get", "colour"], [40, "set", "colour", "blue"]],
    [[10, "get", "colour"], [30, "set", "size", "L"], [50, "get", "colour"]],
  ]);
  answers.forEach((replies, client) => console.log(`client ${client}: ${JSON.stringify(replies)}`));
}
