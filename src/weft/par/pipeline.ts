/**
 * One stretch of a par iterator's items, run sequentially: the adapters
 * (`map`, `filter`, `flatMap`, `inspect`, `fold`) composed into one push
 * function that feeds the terminal op's accumulator. The calling thread runs
 * its sequential prefix through this, and every pool worker runs its chunks
 * through the same code, so a chain computes the same thing wherever it runs
 * (Rayon's "consumer" side: https://github.com/rayon-rs/rayon/blob/main/src/iter/plumbing/README.md).
 *
 * Pure: no run memory, no threads. The closures are real functions here —
 * the caller's own, or ones a worker rebuilt from their lifted form.
 */

import { ordLess } from './order.ts';
import { fusedStretch } from './fused.ts';
import { isEncodable } from '../runtime/handle.ts';
import { addResults, isResultItem } from './result-sum.ts';

type Fn = (...args: never[]) => unknown;

/**
 * What a fused loop needs besides the stages: `site`, the chain's closure
 * ids and kinds (equal sites are the same chain of the reader's program),
 * and, for a range, its first integer (`item(i) === start + i`).
 */
export interface Fuse {
  site: string;
  start: number;
}

export type StageKind = 'map' | 'mapInit' | 'filter' | 'filterMap' | 'flatMap' | 'inspect' | 'fold' | 'enumerate' | 'zip' | 'chunks' | 'foldChunks' | 'tryFold' | 'repeat' | 'whileSome' | 'positions' | 'views';
export interface Stage {
  k: StageKind;
  /** The stage's closure (none for `enumerate`, `zip`, `chunks`). */
  f?: Fn;
  /** `fold`'s identity (`mapInit`'s state maker). */
  id?: Fn;
  /**
   * Data: `enumerate`'s and `zip`'s index scale (source items per item, > 1
   * after `chunks`); `chunks`' size. `zip` also carries `z`, the other side;
   * a `fold`, `foldChunks`, `tryFold` or `mapInit` with no `id` (`foldWith`, `mapWith`...) carries its
   * starting value as `z[0]`; `repeat` carries its value as `z[0]`; `views`
   * carries `[array, how, bounds?]` (slice.ts) and its group size as `d`.
   */
  d?: number;
  z?: ArrayLike<unknown>;
}

export type TerminalKind =
  | 'forEach'
  | 'sum'
  | 'count'
  | 'reduce'
  | 'min'
  | 'max'
  | 'minBy'
  | 'maxBy'
  | 'minByKey'
  | 'maxByKey'
  | 'collect'
  | 'any'
  | 'all'
  | 'findAny'
  | 'findFirst'
  | 'findLast'
  | 'reduceWith'
  | 'positionAny'
  | 'positionFirst'
  | 'positionLast';
export interface Terminal {
  k: TerminalKind;
  f?: Fn;
  /** `reduce`'s identity. */
  id?: Fn;
  /** `position*`'s index scale (source items per item, > 1 after `chunks`). */
  d?: number;
}

/** `[value]` for Some(value), `[]` for None: an `undefined` item is still an item. */
export type Option<T> = [T] | [];

/** Terminals that may stop early once one stretch has its answer. */
export const SHORT_CIRCUIT: ReadonlySet<TerminalKind> = new Set(['any', 'all', 'findAny', 'findFirst', 'positionAny', 'positionFirst']);

/** A stretch in progress: feed it source indices in order, then `finish()` for its partial result. */
export interface Stretch {
  /** Runs items `lo..hi` (source indices); false once the terminal needs no more items. */
  feed(lo: number, hi: number): boolean;
  finish(): unknown;
}

interface Sink {
  push(x: unknown): boolean;
  result(): unknown;
}

/** Rust's Ord: numbers by <, arrays (tuples) lexicographically (order.ts). */
const less = ordLess;

/** `index()` is the source index of the item being pushed (for `position*`). */
function sink(t: Terminal, index: () => number): Sink {
  const f = t.f as ((...args: unknown[]) => unknown) | undefined;
  switch (t.k) {
    case 'reduceWith': {
      let acc: Option<unknown> = [];
      return { push: (x) => ((acc = acc.length === 0 ? [x] : [f!(acc[0], x)]), true), result: () => acc };
    }
    case 'findLast': {
      let found: Option<unknown> = [];
      return { push: (x) => (f!(x) && (found = [x]), true), result: () => found };
    }
    case 'positionAny':
    case 'positionFirst':
    case 'positionLast': {
      const scale = t.d ?? 1;
      const last = t.k === 'positionLast';
      let found: Option<number> = [];
      return {
        push(x) {
          if (!f!(x)) return true;
          found = [Math.floor(index() / scale)];
          return last;
        },
        result: () => found,
      };
    }
    case 'forEach':
      return { push: (x) => (f!(x), true), result: () => undefined };
    case 'sum': {
      let acc: unknown;
      let any = false;
      const sink: Sink = {
        push(x) {
          acc = any ? (acc as number) + (x as number) : x;
          // Items that are Results sum as Rust's `Sum for Result` does (the first item tells, so numbers pay nothing per item).
          if (!any && isResultItem(x)) sink.push = (y) => ((acc = addResults(acc, y)), true);
          any = true;
          return true;
        },
        result: () => (any ? [acc] : []),
      };
      return sink;
    }
    case 'count': {
      let n = 0;
      return { push: () => (n++, true), result: () => n };
    }
    case 'reduce': {
      let acc = (t.id as () => unknown)();
      return { push: (x) => ((acc = f!(acc, x)), true), result: () => acc };
    }
    case 'collect': {
      const out: unknown[] = [];
      return { push: (x) => (out.push(x), true), result: () => out };
    }
    case 'any': {
      let found = false;
      return { push: (x) => !(found = Boolean(f!(x))), result: () => found };
    }
    case 'all': {
      let ok = true;
      return { push: (x) => (ok = Boolean(f!(x))), result: () => ok };
    }
    case 'findAny':
    case 'findFirst': {
      let found: Option<unknown> = [];
      return {
        push(x) {
          if (!f!(x)) return true;
          found = [x];
          return false;
        },
        result: () => found,
      };
    }
    default: {
      let best: Option<unknown> = [];
      const better = betterThan(t);
      return {
        push(x) {
          if (best.length === 0 || better(x, best[0])) best = [x];
          return true;
        },
        result: () => best,
      };
    }
  }
}

/**
 * Whether `x`, met after `best`, replaces it. Rust's rules: `min` keeps the
 * first of equal minima, `max` takes the last of equal maxima (as
 * `std::cmp::min`/`max` and `Iterator::min_by`/`max_by` do).
 */
export function betterThan(t: Terminal): (x: unknown, best: unknown) => boolean {
  const f = t.f as ((...args: unknown[]) => unknown) | undefined;
  switch (t.k) {
    case 'min':
      return (x, best) => less(x, best);
    case 'max':
      return (x, best) => !less(x, best);
    case 'minBy':
      return (x, best) => (f!(x, best) as number) < 0;
    case 'maxBy':
      return (x, best) => (f!(x, best) as number) >= 0;
    case 'minByKey':
      return (x, best) => less(f!(x), f!(best));
    case 'maxByKey':
      return (x, best) => !less(f!(x), f!(best));
    default:
      throw new Error(`weft internal error: ${t.k} is not a comparison`);
  }
}

/**
 * Starts a stretch over `item(i)` for the chain `stages` ending in
 * `terminal`. `array`, when given, is what `item` reads (`item(i) === array[i]`).
 * With `fuse`, a chain that fused.ts can compile into one loop runs as that loop.
 */
export function startStretch(item: (i: number) => unknown, stages: readonly Stage[], terminal: Terminal, array?: ArrayLike<unknown>, fuse?: Fuse): Stretch {
  if (fuse !== undefined) {
    const fused = fusedStretch(fuse.site, array, fuse.start, stages, terminal);
    if (fused !== undefined) return fused;
  }
  // The source index of the item being fed: `enumerate`, `zip` and `position*` read it.
  let cur = 0;
  const index = () => cur;
  const s = sink(terminal, index);
  let push: (x: unknown) => boolean = (x) => s.push(x);
  const flushes: Array<() => boolean> = [];
  /** What the stretch owns and drops when it finishes, stopped early or not (mapWith's clones of a handle). */
  const releases: Array<() => void> = [];
  /** Set by a `tryFold` whose op failed: no more items, but the stages still flush (Rayon's "full" consumer). */
  let halted = false;
  for (let i = stages.length - 1; i >= 0; i--) {
    const stage = stages[i]!;
    const f = stage.f as (...args: unknown[]) => unknown;
    const next = push;
    switch (stage.k) {
      case 'map':
        push = (x) => next(f(x));
        break;
      case 'filter':
        push = (x) => (f(x) ? next(x) : true);
        break;
      case 'inspect':
        push = (x) => (f(x), next(x));
        break;
      case 'filterMap':
        push = (x) => {
          const y = f(x);
          return y === undefined || y === null ? true : next(y);
        };
        break;
      case 'flatMap':
        push = (x) => {
          for (const y of f(x) as Iterable<unknown>) if (!next(y)) return false;
          return true;
        };
        break;
      case 'enumerate': {
        const scale = stage.d ?? 1;
        push = (x) => next([Math.floor(cur / scale), x]);
        break;
      }
      case 'zip': {
        const scale = stage.d ?? 1;
        const other = stage.z!;
        push = (x) => next([x, other[Math.floor(cur / scale)]]);
        break;
      }
      case 'chunks': {
        // Stretches start at multiples of the size (iter.ts aligns them), so a chunk never spans two.
        const size = stage.d!;
        let chunk: unknown[] = [];
        push = (x) => {
          chunk.push(x);
          if (chunk.length < size) return true;
          const full = chunk;
          chunk = [];
          return next(full);
        };
        flushes.unshift(() => {
          if (chunk.length === 0) return true;
          const rest = chunk;
          chunk = [];
          return next(rest);
        });
        break;
      }
      case 'mapInit': {
        // Rayon's map_init: one state per stretch, made when its first item comes.
        const init = initOf(stage);
        let made = false;
        let state: unknown;
        push = (x) => {
          if (!made) {
            state = init();
            made = true;
          }
          return next(f(state, x));
        };
        // mapWith's state cloned from a handle (a Sender) is the stretch's own, dropped when the stretch ends,
        // as Rayon drops each piece's clone: so the channel closes once the iterator and its pieces are done.
        if (stage.id === undefined && isCloneableHandle(stage.z![0])) {
          releases.push(() => {
            if (made) dropHandle(state);
            made = false;
          });
        }
        break;
      }
      case 'views': {
        // ParallelSliceMut's groups (slice.ts): item i, a group's index, becomes a view of the shared array, so writes land in it.
        const [array, how, bounds] = stage.z! as [{ length: number; subarray(lo: number, hi: number): unknown }, string, ArrayLike<number>?];
        const size = stage.d ?? 1;
        const len = array.length;
        const view =
          how === 'bounds'
            ? (i: number) => array.subarray(bounds![2 * i]!, bounds![2 * i + 1]!)
            : how === 'rchunks'
              ? (i: number) => array.subarray(Math.max(0, len - (i + 1) * size), len - i * size)
              : (i: number) => array.subarray(i * size, Math.min(len, (i + 1) * size));
        push = (x) => next(view(x as number));
        break;
      }
      case 'whileSome':
        // Rayon's while_some: an undefined or null item (a None) ends the stretch, as a tryFold's failure does.
        push = (x) => (x === undefined || x === null ? ((halted = true), false) : next(x));
        break;
      case 'positions': {
        // Rayon's positions: the index of each item for which the predicate holds.
        const scale = stage.d ?? 1;
        push = (x) => (f(x) ? next(Math.floor(cur / scale)) : true);
        break;
      }
      case 'repeat': {
        // Rayon's repeat/repeatn: every item is a copy of one value (a fresh one each, as Rayon clones it).
        const value = stage.z![0];
        push = value !== null && typeof value === 'object' ? () => next(structuredClone(value)) : () => next(value);
        break;
      }
      case 'foldChunks': {
        // Rayon's fold_chunks: one accumulator per `size` items, as `chunks` groups them (stretches start at multiples of the size).
        const size = stage.d!;
        const init = initOf(stage);
        let acc: unknown;
        let n = 0;
        push = (x) => {
          if (n === 0) acc = init();
          acc = f(acc, x);
          if (++n < size) return true;
          n = 0;
          return next(acc);
        };
        flushes.unshift(() => {
          if (n === 0) return true;
          n = 0;
          return next(acc);
        });
        break;
      }
      case 'tryFold': {
        // Rayon's try_fold: `fold` whose op returns a Result; the first failure is the stretch's item, and ends the stretch.
        // As `fold`'s, the accumulator is made when the stretch starts.
        let acc = initOf(stage)();
        let failed: unknown;
        push = (x) => {
          const r = f(acc, x) as { ok?: unknown; value?: unknown };
          if (r === null || typeof r !== 'object' || typeof r.ok !== 'boolean') throw new TypeError('tryFold\'s op must return a Result ({ ok, value }), like { ok: true, value: acc }');
          if (r.ok) {
            acc = r.value;
            return true;
          }
          failed = r;
          halted = true;
          return false;
        };
        flushes.unshift(() => next(failed ?? { ok: true, value: acc }));
        break;
      }
      case 'fold': {
        // Rayon's fold: one accumulator per stretch, passed on when the stretch ends.
        let acc = initOf(stage)();
        push = (x) => ((acc = f(acc, x)), true);
        // Flushed innermost first: an outer fold sees what the inner one emits.
        flushes.unshift(() => next(acc));
        break;
      }
    }
  }
  let open = true;
  return {
    feed(lo, hi) {
      if (!open || halted) return false;
      for (let i = lo; i < hi; i++) {
        cur = i;
        // A `tryFold` that failed stops its stretch but still flushes what it holds.
        if (!push(item(i))) return halted ? false : (open = false);
      }
      return true;
    },
    finish() {
      if (open) for (const flush of flushes) if (!flush()) break;
      open = false;
      for (const release of releases) release();
      return s.result();
    },
  };
}

/**
 * A `fold`'s or `mapInit`'s state maker: its identity closure, or for
 * `foldWith`/`mapWith` a fresh copy of the starting value carried as data (`z[0]`), as Rayon clones it.
 */
function initOf(stage: Stage): () => unknown {
  if (stage.id !== undefined) return stage.id as () => unknown;
  const init = stage.z![0];
  // A weft handle (a Sender, an Arc) is cloned as Rust's Clone does (`tx.clone()`): a structured clone would keep its fields and lose its methods.
  if (isCloneableHandle(init)) return () => init.clone();
  // A handle with no Clone (a Mutex, an atomic) is shared, as Rust's `&Mutex` given as the value is copied.
  if (init !== null && typeof init === 'object' && isEncodable(init)) return () => init;
  return () => structuredClone(init);
}

/** A weft handle with Rust's `Clone` (a Sender, an Arc...): what a `…With` method clones for each piece of work. */
export function isCloneableHandle(x: unknown): x is { clone(): unknown } {
  return x !== null && typeof x === 'object' && isEncodable(x) && typeof (x as { clone?: unknown }).clone === 'function';
}

/** Drops a handle a par iterator owns (a piece's clone, or the value a `…With` method was given), as Rust drops it. */
export function dropHandle(x: unknown): void {
  const d = (x as { drop?: unknown } | null)?.drop;
  if (typeof d === 'function') (d as () => void).call(x);
}

/**
 * Combines stretch results, given in source order, into the terminal's
 * answer: `reduce`'s op (and `sum`'s +) applied left to right, so an
 * associative op gives what the sequential chain gives.
 */
export function combine(terminal: Terminal, parts: readonly unknown[]): unknown {
  const f = terminal.f as ((...args: unknown[]) => unknown) | undefined;
  switch (terminal.k) {
    case 'forEach':
      return undefined;
    case 'sum': {
      let acc: unknown;
      let any = false;
      for (const part of parts as Option<unknown>[]) {
        if (part.length === 0) continue;
        acc = !any ? part[0] : isResultItem(acc) ? addResults(acc, part[0]) : (acc as number) + (part[0] as number);
        any = true;
      }
      return any ? acc : 0;
    }
    case 'count':
      return (parts as number[]).reduce((a, b) => a + b, 0);
    case 'reduce': {
      let acc = (terminal.id as () => unknown)();
      for (const part of parts) acc = f!(acc, part);
      return acc;
    }
    case 'collect':
      return ([] as unknown[]).concat(...(parts as unknown[][]));
    case 'any':
      return (parts as boolean[]).some(Boolean);
    case 'all':
      return (parts as boolean[]).every(Boolean);
    case 'findAny':
    case 'findFirst':
    case 'positionAny':
    case 'positionFirst':
      for (const part of parts as Option<unknown>[]) if (part.length > 0) return part[0];
      return undefined;
    case 'findLast':
    case 'positionLast':
      for (let i = parts.length - 1; i >= 0; i--) {
        const part = parts[i] as Option<unknown>;
        if (part.length > 0) return part[0];
      }
      return undefined;
    case 'reduceWith': {
      let acc: Option<unknown> = [];
      for (const part of parts as Option<unknown>[]) {
        if (part.length > 0) acc = acc.length === 0 ? [part[0]] : [f!(acc[0], part[0])];
      }
      return acc.length > 0 ? acc[0] : undefined;
    }
    default: {
      const better = betterThan(terminal);
      let best: Option<unknown> = [];
      for (const part of parts as Option<unknown>[]) {
        if (part.length > 0 && (best.length === 0 || better(part[0], best[0]))) best = [part[0]];
      }
      return best.length > 0 ? best[0] : undefined;
    }
  }
}

/** Whether a stretch's result already answers a short-circuiting terminal. */
export function answered(terminal: Terminal, part: unknown): boolean {
  switch (terminal.k) {
    case 'any':
      return part === true;
    case 'all':
      return part === false;
    case 'findAny':
    case 'findFirst':
    case 'positionAny':
    case 'positionFirst':
      return (part as Option<unknown>).length > 0;
    default:
      return false;
  }
}
