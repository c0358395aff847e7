/**
 * A par iterator chain as one loop of its own: `parIter(xs).map(f).filter(p).sum()`
 * runs as
 *
 *     for (let i = lo; i < hi; i++) { let x = a[i]; x = f0(x); if (!f1(x)) continue; acc += x; }
 *
 * in a function compiled for that chain. The general stretch (pipeline.ts)
 * pushes each item through one closure per stage; those closures are shared
 * by every chain of the program, so once a program has two chains V8 sees
 * many different reader functions at each call and inlines none of them
 * (profiled: ~6 ns an item for `x => x * 2 + 1`, against ~0.6 ns in a
 * hand-written loop). A loop compiled per chain — per reader closure site,
 * as the compile step numbers them — calls one function at each call, which
 * V8 inlines as it would in the reader's own loop.
 *
 * The loop's text is weft's own, made from the chain's stage and terminal
 * kinds only: nothing of the reader's goes into it. The Function constructor
 * is kept here before any program runs (a run's worker takes it away from
 * programs: runner/worker/lockdown.ts), and this module hands it to no one.
 *
 * Chains of `map`, `filter` and `inspect` ending in the common terminals
 * are fused; anything else (or a program with more chains than the cache
 * keeps) takes the general stretch, which computes the same thing.
 */
import type { Stage, Stretch, Terminal, TerminalKind } from './pipeline.ts';
import { addResults, isResultItem } from './result-sum.ts';

type Fn = (...args: never[]) => unknown;
type Factory = (a: ArrayLike<unknown> | undefined, start: number, fs: readonly Fn[], tf: Fn | undefined, tid: Fn | undefined) => Stretch;

/** Kept at load, before lockdown closes it to programs. */
const MakeFunction = Function;

/** Compiled loops by chain site; at most MAX_LOOPS of them per worker (one program's chains, as worker reuse is per program). */
const loops = new Map<string, Factory>();
const MAX_LOOPS = 256;

/**
 * What each fusable terminal keeps (`init`, in the stretch's scope), how its
 * `feed` runs the items (`feed`, given `loop(step)`: a loop over `lo..hi`
 * that puts each item through the stages and then runs `step` on it as `x`;
 * `h` is the terminal's closure), and what it answers (`result`), as
 * pipeline.ts's sink does. Accumulators are copied into the loop's own
 * variables while it runs and written back after, and a step that has the
 * answer closes the stretch and returns false (no more items needed).
 */
const TERMINALS: Partial<Record<TerminalKind, { init: string; feed: (loop: (step: string) => string) => string; result: string }>> = {
  // The first item starts the sum (an empty one has no sum: combine gives 0), so a sum of strings or BigInts
  // stays one; a number sum then runs with its accumulator known to be a number, which V8 keeps unboxed.
  sum: {
    init: 'let acc; let any = false;',
    feed: (loop) =>
      `if (!any) ${loop('acc = x; any = true; i++; break;')}\n` +
      `if (typeof acc === 'number') { let s = acc; ${loop('s += x;')} acc = s; } else if (acc !== null && typeof acc === 'object') ${loop('acc = h(acc, x);')} else ${loop('acc += x;')}`,
    result: 'any ? [acc] : []',
  },
  count: { init: 'let n = 0;', feed: (loop) => `let m = n; ${loop('m++;')} n = m;`, result: 'n' },
  forEach: { init: '', feed: (loop) => loop('h(x);'), result: 'undefined' },
  reduce: { init: 'let acc = tid();', feed: (loop) => `let r = acc; ${loop('r = h(r, x);')} acc = r;`, result: 'acc' },
  collect: { init: 'const out = [];', feed: (loop) => `const o = out; ${loop('o.push(x);')}`, result: 'out' },
  any: { init: 'let found = false;', feed: (loop) => loop('if (h(x)) { found = true; open = false; return false; }'), result: 'found' },
  all: { init: 'let ok = true;', feed: (loop) => loop('if (!h(x)) { ok = false; open = false; return false; }'), result: 'ok' },
  findAny: { init: 'let found = [];', feed: (loop) => loop('if (h(x)) { found = [x]; open = false; return false; }'), result: 'found' },
  findFirst: { init: 'let found = [];', feed: (loop) => loop('if (h(x)) { found = [x]; open = false; return false; }'), result: 'found' },
};

/**
 * A stretch over `array` (or the integers from `start`, when there is no
 * array) for a chain of map/filter/inspect stages and a common terminal,
 * compiled for `site` (the chain's closure ids: equal sites are the same
 * chain of the reader's). Undefined when the chain is not one of those.
 */
export function fusedStretch(site: string, array: ArrayLike<unknown> | undefined, start: number, stages: readonly Stage[], terminal: Terminal): Stretch | undefined {
  const key = `${array === undefined ? 'r' : 'a'}${site}`;
  let factory = loops.get(key);
  if (factory === undefined) {
    if (loops.size >= MAX_LOOPS) return undefined;
    const source = loopSource(array === undefined, stages, terminal.k);
    if (source === undefined) return undefined;
    // The key in the text: V8 caches what `Function` compiles by its text, feedback included, so equal texts
    // would share one loop's call sites again.
    factory = new MakeFunction(`${source}\n// ${key}`)() as Factory;
    loops.set(key, factory);
  }
  const fs: Fn[] = [];
  for (const stage of stages) fs.push(stage.f as Fn);
  // A sum's `h` adds two objects: Results as Rust's `Sum for Result` (pipeline.ts addResults), anything else with +.
  const h = terminal.k === 'sum' ? addObjects : (terminal.f as Fn | undefined);
  return factory(array, start, fs, h, terminal.id as Fn | undefined);
}

/** The loop's text for this shape of chain, or undefined when it is not fusable. Exported for the tests. */
export function loopSource(range: boolean, stages: readonly Stage[], k: TerminalKind): string | undefined {
  const t = TERMINALS[k];
  if (t === undefined) return undefined;
  const body: string[] = [range ? 'let x = first + i;' : 'let x = items[i];'];
  for (let i = 0; i < stages.length; i++) {
    switch (stages[i]!.k) {
      case 'map':
        body.push(`x = g${i}(x);`);
        break;
      case 'filter':
        body.push(`if (!g${i}(x)) continue;`);
        break;
      case 'inspect':
        body.push(`g${i}(x);`);
        break;
      default:
        return undefined;
    }
  }
  const loop = (step: string) => `for (; i < hi; i++) { ${[...body, step].join(' ')} }`;
  // The loop reads the source and the closures from its own constants, not through the factory's scope.
  const hoisted = [range ? 'const first = start;' : 'const items = a;', ...stages.map((_, i) => `const g${i} = f${i};`), 'const h = tf;'];
  return [
    '"use strict";',
    'return function (a, start, fs, tf, tid) {',
    ...stages.map((_, i) => `  const f${i} = fs[${i}];`),
    `  let open = true; ${t.init}`,
    '  return {',
    '    feed(lo, hi) {',
    '      if (!open) return false;',
    `      ${hoisted.join(' ')}`,
    '      let i = lo;',
    ...t.feed(loop).split('\n').map((line) => `      ${line}`),
    '      return true;',
    '    },',
    `    finish() { open = false; return ${t.result}; },`,
    '  };',
    '};',
  ].join('\n');
}

/** A chain's site: its terminal's and stages' kinds and closure ids (lifted, or as they travel to a worker). */
export function chainSite(stages: readonly { k: string; f?: { id: number } }[], terminal: { k: string; f?: { id: number } }): string {
  let site = terminal.f === undefined ? terminal.k : `${terminal.k}${terminal.f.id}`;
  for (const stage of stages) site += stage.f === undefined ? `|${stage.k}` : `|${stage.k}${stage.f.id}`;
  return site;
}

/** `a + b` for a sum whose accumulator is an object: Results add as Rust's `Sum for Result`, anything else as JavaScript's +. */
function addObjects(a: unknown, b: unknown): unknown {
  return isResultItem(a) ? addResults(a, b) : (a as number) + (b as number);
}
