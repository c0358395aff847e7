import { spawn, sleep } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

/** A philosopher eats: call it while holding both forks. Keep it as it is. */
export function eat(): void {
  sleep(1);
}

/**
 * Seats `philosophers` philosophers at a round table, with one fork between
 * each two neighbours, and has each of them eat `meals` times, each on its
 * own thread. Returns how many times each philosopher ate, by seat.
 */
export function dine(philosophers: number, meals: number): number[] {
  // TODO: everything. The statement says what the checks look for.
  return [];
}

function main() {
  const eaten = dine(5, 10);
  console.log(`Meals eaten, by seat: ${eaten.join(", ")}`);
}
