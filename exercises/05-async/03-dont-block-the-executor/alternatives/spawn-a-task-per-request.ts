// A serveOne() helper per request (async sleep, then await spawnBlocking of the digest), each spawned as a task whose handle is awaited in order.
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

async function serveOne(id: number, ms: number): Promise<number> {
  await sleep(ms);
  const record = fetchedRecord(id);
  return await spawnBlocking(() => digest(record));
}

export async function handleRequests(ids: number[], latencies: number[]): Promise<number[]> {
  const tasks = ids.map((id, i) => spawn(serveOne(id, latencies[i]!)));
  const out: number[] = [];
  for (const task of tasks) out.push(await task);
  return out;
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
