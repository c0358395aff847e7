import { spawn } from "weft/thread";
import { Arc, Mutex, RecvError, drop, mpsc } from "weft/sync";

/** Something a delivery log shows that no schedule of a correct pipeline could give. */
export interface Problem {
  kind: "lost" | "duplicated" | "unexpected" | "out-of-order";
  message: number;
}

/**
 * Your test. `sent[p]` lists what producer p sent, in order; `received[c]` what consumer c received, in order.
 * Returns every problem the log shows, or [] when some schedule of a correct pipeline could have given it.
 */
class Audit {
  readonly problems: Problem[] = [];
  private readonly reported = new Set<string>();
  report(kind: Problem["kind"], message: number): void {
    const k = `${kind}:${message}`;
    if (this.reported.has(k)) return;
    this.reported.add(k);
    this.problems.push({ kind, message });
  }
}
export function deliveryProblems(sent: number[][], received: number[][]): Problem[] {
  const audit = new Audit();
  const producerOf = (m: number) => sent.findIndex((ms) => ms.includes(m));
  const all = received.flat();
  for (const ms of sent) for (const m of ms) {
    const n = all.filter((x) => x === m).length;
    if (n === 0) audit.report("lost", m);
    if (n > 1) audit.report("duplicated", m);
  }
  for (const m of all) if (producerOf(m) < 0) audit.report("unexpected", m);
  for (const ms of received) {
    for (let j = 0; j < ms.length; j++) {
      for (let i = 0; i < j; i++) {
        const p = producerOf(ms[j]!);
        if (p >= 0 && p === producerOf(ms[i]!) && sent[p]!.indexOf(ms[i]!) > sent[p]!.indexOf(ms[j]!)) audit.report("out-of-order", ms[j]!);
      }
    }
  }
  return audit.problems;
}
// ---- the pipeline and the test bench: keep them as they are ----

/**
 * The pipeline under test, on real threads: one producer thread per list of `sent`, each sending its messages
 * in order on one channel, and `consumers` threads sharing its Receiver (behind a Mutex), each taking messages
 * until the channel closes. Returns what each consumer received, in order.
 */
export function runPipeline(sent: number[][], consumers: number): number[][] {
  const [tx, rx] = mpsc.channel<number>();
  for (const messages of sent) {
    const mine = tx.clone();
    spawn(() => {
      for (const message of messages) mine.send(message);
    });
  }
  drop(tx);
  const queue = new Arc(new Mutex(rx));
  const takers = [];
  for (let c = 0; c < consumers; c++) {
    const mine = queue.clone();
    takers.push(
      spawn(() => {
        const got: number[] = [];
        for (;;) {
          try {
            using rx = mine.lock();
            got.push(rx.value.recv());
          } catch (error) {
            if (error instanceof RecvError) return got; // closed and empty: every producer is done
            throw error;
          }
        }
      }),
    );
  }
  return takers.map((taker) => taker.join());
}

/** Runs the pipeline once and tests what it did with your deliveryProblems. */
export function runAndTest(sent: number[][], consumers: number): { received: number[][]; problems: Problem[] } {
  const received = runPipeline(sent, consumers);
  return { received, problems: deliveryProblems(sent, received) };
}

/** Tests many logs at once: one list of problems per [sent, received] pair. */
export function testLogs(logs: [sent: number[][], received: number[][]][]): Problem[][] {
  return logs.map(([sent, received]) => deliveryProblems(sent, received));
}

function main() {
  const sent = [[31, 7, 52], [18, 94, 3], [60, 41]];
  const { received, problems } = runAndTest(sent, 2);
  received.forEach((messages, c) => console.log(`consumer ${c} received: ${messages.join(", ")}`));
  console.log(problems.length === 0 ? "no problems" : `problems: ${JSON.stringify(problems)}`);
  // A broken log: 7 never arrived, 3 arrived twice, and consumer 0 got 31 after 52, which its producer sent later.
  console.log(JSON.stringify(deliveryProblems(sent, [[52, 31, 18, 3], [94, 3, 60, 41]])));
}
