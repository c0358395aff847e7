import { spawn, mpsc, oneshot, sleepUntil, time } from "weft/task";

/** One operation of a client's script: at `at` ms after the start, get a key or set it. */
type Op = [at: number, kind: "get", key: string] | [at: number, kind: "set", key: string, value: string];

/** What a client sends the manager; the manager answers on `reply`. */
type Command =
  | { kind: "get"; key: string; reply: oneshot.Sender<string | null> }
  | { kind: "set"; key: string; value: string; reply: oneshot.Sender<string | null> };

/** Runs one client task per script against a manager task that owns the map; returns each client's answers. */
export async function runStore(scripts: Op[][]): Promise<(string | null)[][]> {
  // TODO: the bounded command channel, the manager task, one client task per script, and wait for them all.
  return scripts.map(() => []);
}

async function main() {
  const answers = await runStore([
    [[0, "set", "colour", "red"], [20, "get", "colour"], [40, "set", "colour", "blue"]],
    [[10, "get", "colour"], [30, "set", "size", "L"], [50, "get", "colour"]],
  ]);
  answers.forEach((replies, client) => console.log(`client ${client}: ${JSON.stringify(replies)}`));
}
