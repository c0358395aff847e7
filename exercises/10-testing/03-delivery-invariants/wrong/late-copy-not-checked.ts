// fails: finds-duplicates
// The order check skips a copy it has seen: a duplicate that comes back after a later message of its producer is reported as duplicated only, not out of order.
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
export function deliveryProblems(sent: number[][], received: number[][]): Problem[] {
  const problems: Problem[] = [];
  // Who sent each message, and as which of its messages (messages are all different).
  const origin = new Map<number, { producer: number; index: number }>();
  sent.forEach((messages, producer) => messages.forEach((message, index) => origin.set(message, { producer, index })));

  // Exactly once: count every copy, whoever received it.
  const copies = new Map<number, number>();
  for (const messages of received) for (const message of messages) copies.set(message, (copies.get(message) ?? 0) + 1);
  for (const message of origin.keys()) if (!copies.has(message)) problems.push({ kind: "lost", message });
  for (const [message, n] of copies) {
    if (!origin.has(message)) problems.push({ kind: "unexpected", message });
    else if (n > 1) problems.push({ kind: "duplicated", message });
  }

  // The only order a shared channel guarantees: one consumer gets one producer's messages in the order they were sent.
  for (const messages of received) {
    const latest = new Map<number, number>(); // producer -> the latest of its messages this consumer has had so far
    const had = new Set<number>();
    for (const message of messages) {
      if (had.has(message)) continue; // a second copy is the duplicate check's business
      had.add(message);
      const from = origin.get(message);
      if (from === undefined) continue;
      const before = latest.get(from.producer) ?? -1;
      if (from.index < before) problems.push({ kind: "out-of-order", message });
      latest.set(from.producer, Math.max(before, from.index));
    }
  }
  return problems;
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
