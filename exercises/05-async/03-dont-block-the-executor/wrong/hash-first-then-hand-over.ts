// fails: hashing-off-the-executor
// Computes each digest in its task, on the executor, before waiting, and gives spawnBlocking a closure that only returns the ready number: every digest comes back from a blocking thread, but the hashing stalled the executor.
import { spawn, join, sleep, spawnBlocking, time } from "weft/task";
import { sleep as blockingSleep } from "weft/thread";

/** The record the backend sends for `id`. */
function fetchedRecord(id: number): string {
  return `record-${id}`;
}

/** A slow, CPU-heavy hash of a record: a few milliseconds of pure computation. */
function digest(record: string): number {
  let h = 2166136261;
  for (let round = 0; round < 40_000; round++) {
    for (let i = 0; i < record.length; i++) {
      h ^= record.charCodeAt(i) + round;
      h = Math.imul(h, 16777619) >>> 0;
    }
  }
  return h;
}

export async function handleRequests(ids: number[], latencies: number[]): Promise<number[]> {
  return join(...ids.map(async (id, i) => {
    const ready = digest(fetchedRecord(id));
    await sleep(latencies[i]!);
    return await spawnBlocking(() => ready);
  }));
}

async function main() {
  time.pause();
  // A heartbeat that should tick every 10 ms while the requests are served.
  const heartbeat = spawn(async () => {
    for (let beat = 1; ; beat++) {
      await sleep(10);
      console.log(`heartbeat ${beat} at ${time.now()} ms`);
    }
  });
  const digests = await handleRequests([3, 14, 15], [30, 20, 10]);
  heartbeat.abort();
  console.log(`digests: ${digests.join(", ")} after ${time.now()} ms`);
}
