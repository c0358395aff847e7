// The compile step lifts the closures of weft/par calls, and only those:
// chains rooted at parIter/range (in place, through a namespace import, or
// held in a const), join's two halves (a pool's too) and parSortBy's
// comparator; never an Array.prototype.map or a JoinHandle.join that happens
// to share a name.
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/compile/index.ts';
import { capturesOf } from '../support/compile.ts';

describe('compile: weft/par closures', () => {
  it('lifts every closure of a chain, with its captures, and an identifier in a closure position', () => {
    const source = `import { parIter, range } from "weft/par";
function square(x) { return x * x; }
function main() {
  const k = 2, lo = 1;
  return parIter([1, 2]).map((x) => x * k).filter((x) => x > lo).map(square).reduce(() => 0, (a, b) => a + b + k);
}`;
    const { code } = compile(source);
    expect(code).toContain('.map(__weft.lift(0, () => ({k}), (x) => x * k))');
    expect(code).toContain('.map(__weft.lift(2, () => ({}), square))');
    expect(capturesOf(source)).toEqual([['k'], ['lo'], [], [], ['k']]);
  });

  it('follows a const holding an iterator and a namespace import; leaves withMinLen\'s argument alone', () => {
    const source = `import * as par from "weft/par";
function main() {
  const n = 10, minLen = 4;
  const it = par.range(0, n).withMinLen(minLen);
  return it.map((i) => i + n).sum();
}`;
    expect(capturesOf(source)).toEqual([['n']]);
  });

  it('lifts the closures after zip, enumerate, chunks and withMaxLen, and those of findLast, position* and reduceWith; not their data', () => {
    const source = `import { parIter, range } from "weft/par";
function isBig(x) { return x > 2; }
function main() {
  const other = [1, 2, 3], max = 4, k = 1;
  const a = parIter(other).zip(other).enumerate().chunks(2).withMaxLen(max).map((c) => c.length + k).positionFirst(isBig);
  const b = range(0, 9).findLast((x) => x > k);
  const c = range(0, 9).reduceWith((x, y) => x + y);
  return [a, b, c];
}`;
    const { code } = compile(source);
    expect(code).toContain('.zip(other).enumerate().chunks(2).withMaxLen(max).map(__weft.lift(0, () => ({k}), (c) => c.length + k))');
    expect(code).toContain('.positionFirst(__weft.lift(1, () => ({}), isBig))');
    expect(capturesOf(source)).toEqual([['k'], [], ['k'], []]);
  });

  it('lifts both halves of join and the comparator of parSortBy, not the array', () => {
    const source = `import { join, parSortBy } from "weft/par";
function main() {
  const xs = [3, 1], a = 1;
  parSortBy(xs, (x, y) => x - y);
  return join(() => a, () => xs.length);
}`;
    expect(capturesOf(source)).toEqual([[], ['a'], ['xs']]);
  });

  it("lifts both halves of a pool's join, the pool made in place or held in a const; not install's or scope's closure", () => {
    const source = `import { join, ThreadPoolBuilder } from "weft/par";
import * as par from "weft/par";
function main() {
  const a = 1, b = 2, n = 3;
  const builder = new ThreadPoolBuilder().numThreads(n);
  const pool = builder.sequentialCutoff(0).build();
  pool.join(() => a, () => b);
  new par.ThreadPoolBuilder().build().join(() => a + 1, () => b + 1);
  pool.install(() => join(() => a, () => n));
  pool.scope((s) => { s.spawn(() => a); });
}`;
    expect(capturesOf(source)).toEqual([['a'], ['b'], ['a'], ['b'], ['a'], ['n'], ['a']]);
  });

  it("lifts a builder's startHandler, exitHandler and panicHandler, the builder made in place or held in a const; not threadName's closure (it runs at build, here)", () => {
    const source = `import { ThreadPoolBuilder } from "weft/par";
function main() {
  const a = 1, b = 2, c = 3, n = 4;
  const builder = new ThreadPoolBuilder().numThreads(n).threadName((i) => "w" + i + n);
  const pool = builder.startHandler((i) => a + i).exitHandler((i) => b + i).stackSize(n).panicHandler((e) => c).build();
  const other = { startHandler: (f) => other };
  other.startHandler(() => a);
  return pool;
}`;
    expect(capturesOf(source)).toEqual([['a'], ['b'], ['c']]);
  });

  it("does not take a pool's join for another object's join", () => {
    const source = `import { ThreadPoolBuilder } from "weft/par";
function main(pool) {
  const builder = new ThreadPoolBuilder();
  const other = { join: (f, g) => [f(), g()], build: () => other };
  const x = 1;
  builder.join?.(() => x);
  other.build().join(() => x, () => x);
  return [pool.join(() => x, () => x), ["a"].join("-")];
}`;
    expect(capturesOf(source)).toEqual([]);
  });

  it('does not lift Array.prototype methods or JoinHandle.join, even in a par program', () => {
    const source = `import { parIter } from "weft/par";
import { spawn } from "weft/thread";
function main() {
  const f = (x) => x + 1;
  const sep = ",";
  const ys = [1, 2].map((x) => f(x)).filter((x) => f(x) > 0);
  spawn(() => 1).join();
  return parIter(ys).collect().map((x) => f(x)).join(sep);
}`;
    expect(capturesOf(source)).toEqual([[]]);
  });

  it('refuses a captured local function with the message spawn gives', () => {
    expect(() =>
      compile(`import { range } from "weft/par";
function main() {
  const f = (x) => x + 1;
  return range(0, 3).map((x) => f(x)).sum();
}`),
    ).toThrow('`f` is a function and cannot be moved into a thread');
  });
});
