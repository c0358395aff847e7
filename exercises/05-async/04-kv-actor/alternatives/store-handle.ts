import { spawn, mpsc, oneshot, sleepUntil, time } from "weft/task";

/** One operation of a client's script: at `at` ms after the start, get a key or set it. */
type Op = [at: number, kind: "get", key: string] | [at: number, kind: "set", key: string, value: string];

/** What a client sends the manager; the manager answers on `reply`. */
type Command =
  | { kind: "get"; key: string; reply: oneshot.Sender<string | null> }
  | { kind: "set"; key: string; value: string; reply: oneshot.Sender<string | null> };

/** A handle on the store, as Tokio's tutorial wraps its channel: methods that send a command and await the answer. */
class StoreHandle {
  readonly #tx: mpsc.Sender<Command>;
  constructor(tx: mpsc.Sender<Command>) {
    this.#tx = tx;
  }
  async get(key: string): Promise<string | null> {
    const [reply, answer] = oneshot.channel<string | null>();
    await this.#tx.send({ kind: "get", key, reply });
    return await answer;
  }
  async set(key: string, value: string): Promise<string | null> {
    const [reply, answer] = oneshot.channel<string | null>();
    await this.#tx.send({ kind: "set", key, value, reply });
    return await answer;
  }
  drop(): void {
    this.#tx.drop();
  }
}

/** Runs one client task per script against a manager task that owns the map; returns each client's answers. */
export async function runStore(scripts: Op[][]): Promise<(string | null)[][]> {
  const start = time.now();
  const [tx, rx] = mpsc.channel<Command>(32);
  const manager = spawn(async () => {
    const map = new Map<string, string>(); // owned by this task alone
    for (let command = await rx.recv(); command !== undefined; command = await rx.recv()) {
      const before = map.get(command.key) ?? null;
      if (command.kind === "set") map.set(command.key, command.value);
      command.reply.send(before);
    }
  });
  const clients = scripts.map((script) => {
    const kv = new StoreHandle(tx.clone());
    return spawn(async () => {
      try {
        const answers: (string | null)[] = [];
        for (const op of script) {
          await sleepUntil(start + op[0]);
          answers.push(op[1] === "get" ? await kv.get(op[2]) : await kv.set(op[2], op[3]));
        }
        return answers;
      } finally {
        kv.drop(); // the handle's Sender is not moved into the task by itself: drop it when the client is done
      }
    });
  });
  tx.drop();
  const answers: (string | null)[][] = [];
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
