// A JoinSet of request tasks, each awaiting its own spawnBlocking hash, tagged with its index so the digests go back in the order of ids.
import { JoinSet, spawn, join, sleep, spawnBlocking, time } from "weft/task";
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

/** Serves every request at once; returns the digests in the order of `ids`. Request i waits latencies[i] ms for its record. */
export async function handleRequests(ids: number[], latencies: number[]): Promise<number[]> {
  // JoinSet of request tasks, each hashing on its own blocking thread; results put back by index.
  const set = new JoinSet<[number, number]>();
  ids.forEach((id, i) => {
    set.spawn(async () => {
      await sleep(latencies[i]!);
      const record = fetchedRecord(id);
      const h = await spawnBlocking(() => digest(record));
      return [i, h] as [number, number];
    });
  });
  const out: number[] = new Array(ids.length);
  for (const [i, h] of await set.joinAll()) out[i] = h;
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
