import { JoinHandle, JoinSet, Notify, mpsc, select, sleep, sleepUntil, spawn, time, watch } from "weft/task";

/** One job: `ms` milliseconds of work, logged when it starts and when it is done. */
async function doJob(worker: number, ms: number, log: string[]): Promise<void> {
  log.push(`${time.now()} start ${worker}`);
  await sleep(ms);
  log.push(`${time.now()} done ${worker}`);
}

/** What a worker must do once, on its way out. */
function flush(worker: number, log: string[]): void {
  log.push(`${time.now()} flush ${worker}`);
}

interface Service {
  /** Asks every worker to stop, and returns once all of them have ended. */
  shutdown(): Promise<void>;
}

async function work(id: number, inbox: mpsc.Receiver<number>, stop: watch.Receiver<boolean>, log: string[]) {
  for (;;) {
    if (stop.borrow()) break;
    const ev = await select({ stop: stop.changed(), job: inbox.recv() });
    if (ev.key === "stop") break;
    if (ev.value === undefined) break;
    await doJob(id, ev.value, log);
  }
  flush(id, log);
}
function startService(inboxes: mpsc.Receiver<number>[], log: string[]): Service {
  const [stopTx, stopRx] = watch.channel(false);
  const set = new JoinSet<void>();
  inboxes.forEach((inbox, id) => {
    const stop = stopRx.clone();
    set.spawn(work(id, inbox, stop, log));
  });
  return {
    shutdown: async () => {
      stopTx.send(true);
      while (set.len() > 0) await set.joinNext();
    },
  };
}
// ---- the test bench: keep it as it is ----

/** Sends job `[at, worker, ms]` to inbox `worker` at `at` ms, shuts the service down at `shutdownAt`, and returns the log. */
export async function runService(jobs: [number, number, number][], workers: number, shutdownAt: number): Promise<string[]> {
  const log: string[] = [];
  const inboxes: mpsc.Receiver<number>[] = [];
  for (let w = 0; w < workers; w++) {
    const [tx, rx] = mpsc.channel<number>(16);
    inboxes.push(rx);
    const mine = jobs.filter(([, worker]) => worker === w);
    spawn(async () => {
      for (const [at, , ms] of mine) {
        await sleepUntil(at);
        if (tx.isClosed()) return; // the worker is gone
        await tx.send(ms);
      }
    });
  }
  const service = startService(inboxes, log);
  await sleepUntil(shutdownAt);
  log.push(`${time.now()} shutdown`);
  await service.shutdown();
  log.push(`${time.now()} stopped`);
  await sleep(1000); // anything still running shows up in the log
  return log;
}

async function main() {
  time.pause();
  const log = await runService([[0, 0, 100], [10, 1, 30], [50, 1, 100], [120, 0, 50], [200, 1, 40]], 2, 75);
  for (const line of log) console.log(line);
}
