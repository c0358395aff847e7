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


/** Serves every request at once; returns the digests in the order of `ids`. Request i waits latencies[i] ms for its record. */
export async function handleRequests(ids: number[], latencies: number[]): Promise<number[]> {
  // Each request's blocking thread hands back its index with the digest, so the results can be put in place as they come.
  const requests = ids.map((id, i) =>
    spawn(async () => {
      await sleep(latencies[i]!);
      const record = fetchedRecord(id);
      return await spawnBlocking(() => ({ index: i, digest: digest(record) }));
    }),
  );
  const digests: number[] = new Array(ids.length);
  for (const request of requests) {
    const { index, digest } = await request;
    digests[index] = digest;
  }
  return digests;
}

async function main() {
  time.pause();
  const digests = await handleRequests([3, 14, 15], [30, 20, 10]);
  console.log(`digests: ${digests.join(", ")} after ${time.now()} ms`);
}
