/**
 * The run's allocation budget: how much a program may make in large arrays
 * and strings.
 *
 * Why: a browser worker has no heap limit a page can set and no memory
 * measure of its own (`performance.memory` and
 * `measureUserAgentSpecificMemory` are undefined in a worker), and when its
 * heap runs out Chromium ends the whole renderer: the tab crashes (issue 17;
 * measured in Chromium 156: a worker keeping arrays crashed the tab at
 * ~3.7 GB). The page's own measure (browser-host.ts) answers too late for a
 * fast blow-up: `keep.push(new Array(1e6).fill(0))` in a loop gets there in
 * a second or two, well inside any time limit. (Typed arrays and buffers
 * live outside the heap: when they run out the program gets a RangeError,
 * "Array buffer allocation failed", and the tab lives; they are not counted.)
 *
 * So, in every run's worker (the browser's and Node's alike, so a program
 * behaves the same in the book and the CLI), the ways a program makes a
 * large block of the heap in one call are counted before the block is made:
 * the Array constructor with a length, `Array.from` and `Array.of`,
 * `Array.prototype.concat`, and `String.prototype.repeat`, `padStart` and
 * `padEnd`. A block of BLOCK_MIN_BYTES or more (8 bytes an array element, a
 * byte a string character) adds to a run-wide count in run memory
 * (H.bulkKb). Nothing is taken off when a block is dropped: a worker cannot
 * see memory come back while a run goes on (a FinalizationRegistry calls
 * back only when the worker's event loop turns, and a run holds it from
 * start to end, its async tasks included). So the limit is on what a run
 * makes, generous for the book's programs (a run may make 256 arrays of a
 * million elements), and the message says to reuse. When the count passes
 * LIMIT_MB, the thread that asked records itself (H.overBudget) and waits
 * for the stop; the supervisor ends the run as 'out-of-memory', naming it.
 *
 * What it does not see: memory grown a small piece at a time (an object
 * literal or a short array pushed in a loop) is bounded only by the time
 * limit; in Chromium 156 on the 2-core machine a loop keeping 1,024-number
 * arrays crashed the tab after ~18 s, beyond the 10 s default limit.
 */
import { context, hasContext } from '../../weft/runtime/context.ts';
import { H } from '../../weft/runtime/memory.ts';
import { RunStopped, SLICE_MS } from '../../weft/runtime/stop.ts';

/** The most a run may make in large blocks. */
export const LIMIT_MB = 2048;
const LIMIT_KB = LIMIT_MB * 1024;
/** The estimate for one element of an Array: a pointer or a number. */
const ARRAY_ELEMENT_BYTES = 8;
/** Smaller blocks are not counted (a program's everyday arrays and strings): 8,192 array elements, 64 K string characters. */
const BLOCK_MIN_BYTES = 64 * 1024;
/** For the run's message: what counts. */
export const COUNTED = `every new array of ${BLOCK_MIN_BYTES / ARRAY_ELEMENT_BYTES} elements or more and each string of ${BLOCK_MIN_BYTES / 1024} K characters or more counts`;

const { apply, construct } = Reflect;
const { add, load, compareExchange, wait } = Atomics;
const { ceil, min } = Math;
const isArray = Array.isArray;

/**
 * Counts a block of about `bytes` the current thread is about to make, if
 * it is large. Over the limit, it does not return.
 */
function charge(bytes: number): void {
  if (!(bytes >= BLOCK_MIN_BYTES) || !hasContext()) return;
  const thread = context();
  const header = thread.memory.header;
  // One request past the limit on its own goes over at once (and a count in KB never wraps its Int32).
  const kb = min(ceil(bytes / 1024), LIMIT_KB + 1);
  if (add(header, H.bulkKb, kb) + kb > LIMIT_KB) overBudget(header, thread.threadId);
}

/** Records this thread as the one that went over and waits for the supervisor's stop: it allocates nothing more. */
function overBudget(header: Int32Array, threadId: number): never {
  compareExchange(header, H.overBudget, 0, threadId);
  while (load(header, H.stop) === 0) wait(header, H.stop, 0, SLICE_MS);
  throw new RunStopped();
}

function lengthOf(value: unknown): number {
  if (typeof value === 'string' || isArray(value)) return value.length;
  if (typeof value === 'object' && value !== null) {
    // A typed array or an array-like: its length, as Array.from will read it.
    const length = (value as { length?: unknown }).length;
    return typeof length === 'number' ? length : 0;
  }
  return 0;
}

/** Installs the counting Array and methods in this worker's global scope, before any program runs (lockdown.ts). */
export function countLargeAllocations(global: Record<string, unknown>): void {
  const replace = (name: string, value: Function) => Object.defineProperty(global, name, { value, writable: true, configurable: true, enumerable: false });

  // The Array constructor, counting a length it is given, and otherwise the original: its statics, its
  // prototype (so `instanceof Array` holds), its behaviour with and without `new`, subclasses.
  const OriginalArray = global.Array as ArrayConstructor;
  const CountingArray = function Array(this: unknown, ...args: unknown[]) {
    if (args.length === 1 && typeof args[0] === 'number') charge(args[0] * ARRAY_ELEMENT_BYTES);
    return new.target === undefined ? apply(OriginalArray, this, args) : construct(OriginalArray, args, new.target === CountingArray ? OriginalArray : new.target);
  };
  for (const key of Reflect.ownKeys(OriginalArray)) Object.defineProperty(CountingArray, key, Object.getOwnPropertyDescriptor(OriginalArray, key)!);
  Object.setPrototypeOf(CountingArray, Object.getPrototypeOf(OriginalArray));
  // Array.from and Array.of with the original as receiver, V8's fast path, after counting the length they make.
  for (const name of ['from', 'of'] as const) {
    const original = OriginalArray[name] as (...args: unknown[]) => unknown[];
    Object.defineProperty(CountingArray, name, {
      value: {
        [name](this: unknown, ...args: unknown[]) {
          if (this !== CountingArray) return apply(original, this, args);
          charge((name === 'from' ? lengthOf(args[0]) : args.length) * ARRAY_ELEMENT_BYTES);
          return apply(original, OriginalArray, args);
        },
      }[name],
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  replace('Array', CountingArray);

  const stringMethod = (name: 'repeat' | 'padStart' | 'padEnd', resultLength: (self: string, args: unknown[]) => number) => {
    const original = String.prototype[name] as (...args: unknown[]) => string;
    Object.defineProperty(String.prototype, name, {
      value: {
        [name](this: unknown, ...args: unknown[]) {
          charge(typeof this === 'string' ? resultLength(this, args) : 0);
          return apply(original, this, args);
        },
      }[name],
      writable: true,
      configurable: true,
      enumerable: false,
    });
  };
  stringMethod('repeat', (self, [count]) => (typeof count === 'number' ? self.length * count : 0));
  stringMethod('padStart', (_self, [length]) => (typeof length === 'number' ? length : 0));
  stringMethod('padEnd', (_self, [length]) => (typeof length === 'number' ? length : 0));

  const concat = Array.prototype.concat;
  Object.defineProperty(Array.prototype, 'concat', {
    value: {
      concat(this: unknown, ...args: unknown[]) {
        let length = lengthOf(this);
        for (const arg of args) length += isArray(arg) ? arg.length : 1;
        charge(length * ARRAY_ELEMENT_BYTES);
        return apply(concat, this, args) as unknown[];
      },
    }.concat,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
