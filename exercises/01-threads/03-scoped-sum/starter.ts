import { scope } from "weft/thread";
import { RwLock } from "weft/sync";

/**
 * The sum and the largest of `values`, worked out by `k` scoped threads,
 * each over its own slice of the values.
 */
export function sumAndMax(values: number[], k: number): { total: number; max: number } {
  // The values live in one RwLock that every thread reads; no Arc needed inside a scope.
  const data = new RwLock(values);
  // TODO: split the values into k slices, one scoped thread each, and combine what they return.
  return { total: 0, max: 0 };
}

function main() {
  const { total, max } = sumAndMax([3, -1, 4, 1, -5, 9, 2, 6], 3);
  console.log(`Total: ${total}, max: ${max}`);
}
