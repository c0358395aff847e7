import { describe, expect, it } from 'vitest';
import { decodeValue, encodeCaptures, encodeValue, NotSendError } from '../../../src/weft/runtime/codec.ts';
import { RunMemory } from '../../../src/weft/runtime/memory.ts';

const roundTrip = (value: unknown) => decodeValue(encodeValue(value, { mode: 'borrow' }), { owned: false });

describe('the value codec (what crosses threads)', () => {
  it('copies plain data faithfully', () => {
    const value = {
      n: 1.5,
      i: -7,
      negZero: -0,
      big: 12345678901234567890n,
      s: 'héllo, 世界 🧵',
      list: [1, 'two', null, undefined, true],
      nested: { deep: [{ x: 1 }] },
      map: new Map<unknown, unknown>([['k', [1, 2]], [3, 'v']]),
      set: new Set([1, 2, 3]),
      date: new Date(86_400_000),
      re: /a+b/gi,
      bytes: new Uint8Array([1, 2, 255]),
      floats: new Float64Array([0.5, -1]),
      buffer: new Uint16Array([513]).buffer,
    };
    const copy = roundTrip(value) as typeof value;
    expect(copy).toEqual(value);
    expect(Object.is(copy.negZero, -0)).toBe(true);
    expect(copy.map).not.toBe(value.map);
  });

  it('keeps array holes and errors', () => {
    const copy = roundTrip([1, , 3]) as unknown[];
    expect(1 in copy).toBe(false);
    expect(copy.length).toBe(3);
    const error = roundTrip(new RangeError('too far')) as Error;
    expect(error.name).toBe('RangeError');
    expect(error.message).toBe('too far');
    // A built-in type arrives as itself, as postMessage's copy does; its name stays a prototype property.
    expect(error).toBeInstanceOf(RangeError);
    expect(Object.keys(error)).toEqual([]);
    class Timeout extends Error {
      constructor() {
        super('took too long');
        this.name = 'Timeout';
      }
    }
    const custom = roundTrip(new Timeout()) as Error;
    expect(custom).toBeInstanceOf(Error);
    expect(String(custom)).toBe('Timeout: took too long');
  });

  it('a typed array or buffer already moved away is refused as a use of a moved value, not a V8 error', () => {
    const floats = new Float64Array([1, 2]);
    const buffer = new ArrayBuffer(8);
    encodeValue({ floats, buffer }, { mode: 'move' });
    expect(floats.length).toBe(0);
    expect(() => encodeValue([floats], { mode: 'move' })).toThrow(/use of moved value: .*\[0\] is a Float64Array that was already moved/);
    expect(() => encodeValue({ buffer }, { mode: 'borrow' })).toThrow(/use of moved value: .*buffer is an ArrayBuffer that was already moved/);
  });

  it('refuses functions, naming the captured variable and what to do', () => {
    expect(() => encodeCaptures({ work: () => 1 }, { mode: 'move' })).toThrowError(NotSendError);
    expect(() => encodeCaptures({ work: () => 1 }, { mode: 'move' })).toThrowError(/`work`.*function.*Call a module-level function by its name in the other thread/s);
  });

  it('refuses instances of classes with methods but copies data-only class instances', () => {
    class Point {
      x = 1;
      norm() {
        return this.x;
      }
    }
    class Plain {
      x = 2;
    }
    expect(() => encodeCaptures({ p: { inner: new Point() } }, { mode: 'move' })).toThrowError(/`p`\.inner.*class Point/);
    expect(roundTrip(new Plain())).toEqual({ x: 2 });
  });

  it('refuses cycles with a clear message', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => encodeValue(a, { mode: 'borrow' })).toThrowError(/cycle/);
  });

  it('names the path to what cannot cross, and forgets it for the next value (the path and cycle stacks are reused)', () => {
    const bad = { rows: [{ ok: 1 }, { ok: 2, cb: () => 0 }] };
    expect(() => encodeValue(bad, { mode: 'borrow' })).toThrowError(/the value\.rows\[1\]\.cb is a function/);
    // The same object twice side by side is not a cycle, and a value after a failed one starts from the root.
    const shared = { n: 1 };
    expect(roundTrip({ a: shared, b: [shared, shared] })).toEqual({ a: { n: 1 }, b: [{ n: 1 }, { n: 1 }] });
    expect(() => encodeValue({ deep: { f: Symbol('s') } }, { mode: 'borrow' })).toThrowError(/^the value\.deep\.f is a symbol/);
  });

  it('decodes object keys exactly, whatever a key decoded before looked like', () => {
    // Keys of the same length whose bytes differ, non-ASCII keys, and one longer than the short-string path.
    const keys = ['ab', 'ba', 'aB', 'é', 'ü', '世界', 'k'.repeat(40), '', '0', 'constructor'];
    for (let round = 0; round < 3; round++) {
      const value = Object.fromEntries(keys.map((k, i) => [k, i + round]));
      expect(roundTrip(value)).toEqual(value);
    }
    const withProto = roundTrip(JSON.parse('{"__proto__": {"polluted": true}, "x": 1}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(withProto)).toBe(Object.prototype);
    expect(Object.keys(withProto)).toEqual(['__proto__', 'x']);
    // Many distinct keys (past the cache's bound) still come back right.
    for (let i = 0; i < 3000; i += 7) {
      const value = { [`key${i}`]: i, [`yek${i}`]: -i };
      expect(roundTrip(value)).toEqual(value);
    }
  });

  it('decodes short string values exactly, whatever was decoded before (they share one cache with keys)', () => {
    // Every string of up to 3 letters from a small alphabet, and lengths up to the short path's 32: thousands of
    // distinct strings, so slots of the cache are taken over many times; each must come back as itself.
    const alphabet = ['a', 'b', 'Z', '0', ' ', 'é'];
    const strings: string[] = [''];
    for (const a of alphabet) for (const b of alphabet) for (const c of alphabet) strings.push(a, a + b, a + b + c);
    for (let n = 4; n <= 34; n++) strings.push('x'.repeat(n - 1) + String(n % 10));
    for (let round = 0; round < 2; round++) {
      const copy = roundTrip({ strings, pairs: strings.map((s) => ({ [s]: s })) }) as { strings: string[]; pairs: Record<string, string>[] };
      expect(copy.strings).toEqual(strings);
      expect(copy.pairs).toEqual(strings.map((s) => ({ [s]: s })));
    }
  });

  it("writes an object's own enumerable keys in their order, not what a prototype adds", () => {
    const value = { b: 1, 2: 'two', a: 2, 1: 'one', [Symbol('hidden')]: 3 };
    Object.defineProperty(value, 'notEnumerable', { value: 4, enumerable: false });
    expect(Object.keys(roundTrip(value) as object)).toEqual(['1', '2', 'b', 'a']);
    const bare = Object.assign(Object.create(null) as Record<string, number>, { y: 1, x: 2 });
    expect(roundTrip(bare)).toEqual({ y: 1, x: 2 });
    // An enumerable property put on Object.prototype (a polyfill, or a hostile program) is not any object's own.
    (Object.prototype as Record<string, unknown>).addedEverywhere = 'inherited';
    try {
      const copy = roundTrip({ own: 1 }) as Record<string, unknown>;
      expect(Object.keys(copy)).toEqual(['own']);
    } finally {
      delete (Object.prototype as Record<string, unknown>).addedEverywhere;
    }
  });
});

describe('run memory', () => {
  it('reuses freed blocks and grows the shared buffer when the heap is full', () => {
    const memory = RunMemory.create();
    const first = memory.alloc(100);
    memory.free(first);
    expect(memory.alloc(100)).toBe(first);
    const before = memory.buffer.byteLength;
    const big = memory.alloc(before);
    expect(memory.buffer.byteLength).toBeGreaterThan(before);
    memory.u8[big + before - 1] = 7;
    expect(memory.u8[big + before - 1]).toBe(7);
  });

  it('detects a double free', () => {
    const memory = RunMemory.create();
    const ptr = memory.alloc(8);
    memory.free(ptr);
    expect(() => memory.free(ptr)).toThrowError(/double free/);
  });
});
