// fails: one-manager-owns-the-map
// Skips the actor: the client tasks share one Map and read and write it themselves, so no task owns it and no command ever goes through a channel.
import { spawn, mpsc, oneshot, sleepUntil, time } from "weft/task";

/** One operation of a client's script: at `at` ms after the start, get a key or set it. */
type Op = [at: number, kind: "get", key: string] | [at: number, kind: "set", key: string, value: string];

/** What a client sends the manager; the manager answers on `reply`. */
type Command =
  | { kind: "get"; key: string; reply: oneshot.Sender<string | null> }
  | { kind: "set"; key: string; value: string; reply: oneshot.Sender<string | null> };

/** Runs one client task per script against a manager task that owns the map; returns each client's answers. */
export async function runStore(scripts: Op[][]): Promise<(string | null)[][]> {
  // Every client reads and writes one shared Map directly: tasks on one thread can, but there is no manager.
  const start = time.now();
  const store = new Map<string, string>();
  const clients = scripts.map((script) =>
    spawn(async () => {
      const answers: (string | null)[] = [];
      for (const op of script) {
        await sleepUntil(start + op[0]);
        answers.push(store.get(op[2]) ?? null);
        if (op[1] === "set") store.set(op[2], op[3]);
      }
      return answers;
    }),
  );
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
