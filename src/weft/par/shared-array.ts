/**
 * Typed arrays in the run's shared memory: every thread of the run sees the
 * same elements, so a par iterator over one is split among the pool's
 * threads in place (never copied), and a closure that captures one shares
 * it (the codec passes such a view by reference: runtime/codec.ts).
 *
 * Rust has no need for this: a `&[f64]` borrowed by Rayon's threads is
 * already shared. A JavaScript worker cannot see another worker's heap, and
 * weft's threads, already running, can be handed only what lives in run
 * memory. The memory lives until the run ends.
 *
 * Writes from several threads to the same element race, as in any shared
 * memory: give each thread its own indices, or use `Atomics` on an integer
 * array.
 */
import { context } from '../runtime/context.ts';
import { typedArrayKinds, type AnyTypedArray } from './job.ts';

type TypedArrayConstructor<A extends AnyTypedArray> = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): A; BYTES_PER_ELEMENT: number };

/**
 * A typed array of `type` in shared memory: `sharedArray(Float64Array, n)`
 * (zeroed) or `sharedArray(Float64Array, values)` (a copy of `values`).
 */
export function sharedArray<A extends AnyTypedArray>(type: TypedArrayConstructor<A>, lengthOrValues: number | ArrayLike<number> | ArrayLike<bigint>): A {
  if (!typedArrayKinds.includes(type as never)) throw new TypeError('sharedArray expects a typed array type, like sharedArray(Float64Array, 1000)');
  const length = typeof lengthOrValues === 'number' ? lengthOrValues : lengthOrValues.length;
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`sharedArray: bad length ${String(length)}`);
  const mem = context().memory;
  const bytes = Math.max(8, length * type.BYTES_PER_ELEMENT);
  const ptr = mem.alloc(bytes);
  mem.u8.fill(0, ptr, ptr + bytes);
  const array = new type(mem.buffer, ptr, length);
  if (typeof lengthOrValues !== 'number') (array as unknown as { set(values: ArrayLike<unknown>): void }).set(lengthOrValues);
  return array;
}
