// fails: jobs-in-hand-finish
// Puts the whole job, receiving it and doing it, in the select's job branch: the stop request wins the select while a job is in progress, and the select cancels the job half done.
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

/** A worker: jobs until the stop request, finishing the job in hand; flushes once on the way out. */
async function worker(id: number, inbox: mpsc.Receiver<number>, stop: watch.Receiver<boolean>, log: string[]): Promise<void> {
  try {
    while (!stop.borrow()) {
      // Waiting for a job and for the stop request at once: an idle worker hears the request right away.
      // The whole job in one branch: the worker listens for the stop request while it waits for a job and while it works.
      const next = await select({
        job: (async () => {
          const ms = await inbox.recv();
          if (ms !== undefined) await doJob(id, ms, log);
          return ms;
        })(),
        stop: stop.changed(),
      });
      if (next.key === "stop" || next.value === undefined) break;
    }
  } finally {
    flush(id, log);
  }
}

/** Spawns a worker per inbox; the returned Service stops them gracefully. */
function startService(inboxes: mpsc.Receiver<number>[], log: string[]): Service {
  const [stopTx, stopRx] = watch.channel(false);
  const workers = inboxes.map((inbox, id) => spawn(worker(id, inbox, stopRx.clone(), log)));
  return {
    async shutdown() {
      stopTx.send(true); // every worker's changed() fires, and its next borrow() reads true
      for (const w of workers) await w; // the tracker: wait for every worker to end
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
