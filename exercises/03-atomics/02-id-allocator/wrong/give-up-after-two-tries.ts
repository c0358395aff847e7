// fails: hands-out-every-id
// Tries compareExchangeWeak twice and returns undefined when both fail: under contention (or a spurious failure) a call that found ids left gets none, and some ids are never handed out.
import { spawn } from "weft/thread";
import { Arc, AtomicU32 } from "weft/sync";

export function allocate(next: Arc<AtomicU32>, end: number): number | undefined {
  for (let attempt = 0; attempt < 2; attempt++) {
    const id = next.load();
    if (id >= end) return undefined;
    if (next.compareExchangeWeak(id, id + 1).ok) return id;
  }
  return undefined;
}

// ---- You don't need to change anything below this line. ----

/**
 * Starts `workers` threads on one counter that starts at `first`; each
 * calls `allocate` `callsEach` times. Returns what each worker got, in
 * order, with null for each call that got no id.
 */
export function handOut(first: number, end: number, workers: number, callsEach: number): (number | null)[][] {
  const next = new Arc(new AtomicU32(first));
  const handles = [];
  for (let w = 0; w < workers; w++) {
    const mine = next.clone();
    handles.push(
      spawn(() => {
        const got: (number | null)[] = [];
        for (let call = 0; call < callsEach; call++) got.push(allocate(mine, end) ?? null);
        return got;
      }),
    );
  }
  return handles.map((handle) => handle.join());
}

function main() {
  // Ids 100 to 109, and 14 calls: the last 4 calls must get nothing.
  const got = handOut(100, 110, 2, 7);
  got.forEach((ids, w) => console.log(`Worker ${w} got: ${ids.map((id) => id ?? "none").join(", ")}`));
  // Near the top of a u32: ids 4294967290 to 4294967294, and 8 calls.
  const top = handOut(4294967290, 4294967295, 2, 4);
  top.forEach((ids, w) => console.log(`Worker ${w} got: ${ids.map((id) => id ?? "none").join(", ")}`));
}
