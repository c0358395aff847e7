// No Semaphore: each request, once its wait is over, sends its n with a oneshot reply to one dispatcher task over an mpsc channel; the dispatcher keeps at most slots spawnBlocking crunches in a JoinSet (the actor pattern, as rayon::spawn with a oneshot back would).
import { JoinSet, Semaphore, join, mpsc, oneshot, sleep, spawn, spawnBlocking, time } from "weft/task";
import { range } from "weft/par";

/** How many steps the Collatz sequence takes from `x` down to 1. */
function collatzSteps(x: number): number {
  let steps = 0;
  while (x !== 1) {
    x = x % 2 === 0 ? x / 2 : 3 * x + 1;
    steps++;
  }
  return steps;
}

/** The CPU-heavy part of a request: the Collatz steps of 1..n, added up on weft/par's pool. Keep it as it is. */
function crunch(n: number): number {
  return range(1, n + 1).map(collatzSteps).sum();
}

/** A CPU job for the dispatcher: the n to crunch, and where to send the answer. */
interface Job {
  n: number;
  reply: oneshot.Sender<number>;
}

/** The dispatcher: takes jobs in arrival order and keeps at most `slots` of them on blocking threads at once. */
async function dispatcher(jobs: mpsc.Receiver<Job>, slots: number): Promise<void> {
  const running = new JoinSet<void>();
  for (;;) {
    while (running.len() >= slots) await running.joinNext(); // every slot busy: wait for one to free
    const job = await jobs.recv();
    if (job === undefined) break;
    const { n, reply } = job;
    running.spawn(async () => {
      reply.send(await spawnBlocking(() => crunch(n)));
    });
  }
  while (running.len() > 0) await running.joinNext();
}

/** Serves every request at once; returns each request's answer, in the order of `requests`. */
export async function serve(requests: [latency: number, n: number][], slots: number): Promise<number[]> {
  const [tx, rx] = mpsc.channel<Job>(requests.length + 1);
  const cpu = spawn(dispatcher(rx, slots));
  const handlers = requests.map(([latency, n]) => {
    const jobs = tx.clone();
    return spawn(async () => {
      await sleep(latency); // the wait overlaps with every other request's
      const [replyTx, replyRx] = oneshot.channel<number>();
      await jobs.send({ n, reply: replyTx });
      jobs.drop();
      return await replyRx;
    });
  });
  tx.drop();
  const answers: number[] = [];
  for (const handler of handlers) answers.push(await handler);
  await cpu;
  return answers;
}

async function main() {
  // A heartbeat that should tick every 10 ms while the server works.
  let longestGap = 0;
  const heartbeat = spawn(async () => {
    let last = performance.now();
    for (;;) {
      await sleep(10);
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }
  });
  const start = performance.now();
  const answers = await serve([[30, 30_000], [10, 20_000], [20, 25_000], [10, 10_000]], 2);
  console.log(`answers: ${answers.join(", ")} after ${(performance.now() - start).toFixed(0)} ms`);
  heartbeat.abort();
  console.log(`longest heartbeat gap: ${longestGap.toFixed(0)} ms`);
}
