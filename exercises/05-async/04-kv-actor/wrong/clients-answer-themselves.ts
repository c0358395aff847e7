// fails: one-manager-owns-the-map
// The clients read and write one shared Map themselves and work out their own answers; they still send every command to a "manager" task, which answers each with null and touches no map: the channel carries traffic, but the manager owns nothing.
import { spawn, mpsc, oneshot, sleepUntil, time } from "weft/task";

/** One operation of a client's script: at `at` ms after the start, get a key or set it. */
type Op = [at: number, kind: "get", key: string] | [at: number, kind: "set", key: string, value: string];

/** What a client sends the manager; the manager answers on `reply`. */
type Command =
  | { kind: "get"; key: string; reply: oneshot.Sender<string | null> }
  | { kind: "set"; key: string; value: string; reply: oneshot.Sender<string | null> };

/** Runs one client task per script; returns each client's answers. */
export async function runStore(scripts: Op[][]): Promise<(string | null)[][]> {
  const start = time.now();
  const shared = new Map<string, string>();
  const [tx, rx] = mpsc.channel<Command>(32);
  const manager = spawn(async () => {
    let command: Command | undefined;
    while ((command = await rx.recv()) !== undefined) command.reply.send(null); // answers, knows nothing
  });
  const clients = scripts.map((script) => {
    const mine = tx.clone();
    return spawn(async () => {
      const answers: (string | null)[] = [];
      for (const op of script) {
        await sleepUntil(start + op[0]);
        answers.push(shared.get(op[2]) ?? null); // the client answers itself
        if (op[1] === "set") shared.set(op[2], op[3]);
        const [reply, answer] = oneshot.channel<string | null>();
        if (op[1] === "get") await mine.send({ kind: "get", key: op[2], reply });
        else await mine.send({ kind: "set", key: op[2], value: op[3], reply });
        await answer;
      }
      mine.drop();
      return answers;
    });
  });
  tx.drop();
  const answers: (string | null)[][] = [];
  for (const c of clients) answers.push(await c);
  await manager;
  return answers;
}

async function main() {
  console.log(await runStore([[[0, "set", "colour", "red"]], [[10, "get", "colour"]]]));
}
