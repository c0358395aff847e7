/**
 * weft futures are not Promises: they run only when polled (awaited,
 * spawned, joined, selected). `Promise.all`, `Promise.race` and `.then`
 * would take one for a plain value and never run it, so at run time each
 * of them fails with a message that points at `join`/`select`; in the
 * editor, `.then(…)` on a weft future is a type error while `await` keeps
 * its type. (Rust has no such trap: a future is only ever `.await`ed or
 * handed to `join!`/`select!`.)
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lineOf, programsWith } from '../support/run-program.ts';

const { run } = programsWith(`import { sleep, spawn, join } from "weft/task";
`);

describe('weft futures through Promise machinery (run time)', () => {
  for (const [label, expression] of [
    ['Promise.all over async functions', 'await Promise.all([work(1), work(2)])'],
    ['Promise.race over weft futures', 'await Promise.race([sleep(5), sleep(10)])'],
    ['.then on an async function', 'await work(3).then((v) => v + 1)'],
    ['Promise.all over JoinHandles', 'await Promise.all([spawn(work(4))])'],
  ] as const) {
    it(`${label} fails with a message pointing at join and select`, async () => {
      const result = await run(`
async function work(n: number): Promise<number> {
  // Never done before main has failed: a spawned one does not print, however the machine's load delays the panic.
  await sleep(10_000);
  console.log("work", n, "ran");
  return n;
}
async function main() {
  console.log("before");
  const value = ${expression};
  console.log("after", value);
}`);
      expect(result.outcome.status).toBe('panic');
      expect(result.lines).toEqual(['before']);
      const message = result.errors[0]!.message;
      expect(message).toContain('a weft future is not a Promise');
      expect(message).toContain('join(a, b)');
      expect(message).toContain('select({ … })');
      // At the reader's line, though Promise machinery calls `then` later, from a microtask.
      expect(result.errors[0]!.location?.line).toBe(lineOf(result.source, 'const value ='));
    });
  }

  for (const [label, expression] of [
    ['a template string', '`got ${page}`'],
    ['+', "page + '!'"],
    ['String()', 'String(page)'],
  ] as const) {
    it(`an async function's result never awaited, through ${label}, fails at that line saying to await it`, async () => {
      // It printed "got [object Object]" (chapter 5's fetchPage with its await forgotten); Rust refuses to format a future.
      const result = await run(`
async function fetchPage(name: string): Promise<string> {
  await sleep(10);
  return name;
}
async function main() {
  const page = fetchPage("a");
  console.log(${expression});
  console.log("after");
}`);
      expect(result.outcome.status).toBe('panic');
      expect(result.lines).toEqual([]);
      expect(result.errors[0]!.message).toContain('a weft future is not its value');
      expect(result.errors[0]!.message).toContain('Write `await` before the call');
      expect(result.errors[0]!.location?.line).toBe(lineOf(result.source, `console.log(${expression})`));
    });
  }

  it('one future awaited by two tasks fails in the second, naming the first (Rust: use of moved value)', async () => {
    const result = await run(`
async function slow() { await sleep(50); return 1; }
async function main() {
  const f = slow();
  const h = spawn(async () => await f);
  console.log("main got", await f);
  try { await h; } catch (e) { console.log("task 1:", e.message); }
}`);
    expect(result.lines[0]).toBe('main got 1');
    expect(result.lines[1]).toMatch(/^task 1: this future is already being awaited by task 'main': a future runs in one task and is awaited once/);
  });

  it('join does what Promise.all was reached for', async () => {
    const result = await run(`
async function work(n: number): Promise<number> { await sleep(n); return n * 10; }
async function main() {
  console.log(await join(work(2), work(1)));
}`);
    expect(result.errors).toEqual([]);
    expect(result.lines).toEqual(['[20, 10]']);
  });
});

describe('weft futures through Promise machinery (editor types)', () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  /** The type checker's messages for `code`, checked as the editor checks an example (weft's own sources as types). */
  function diagnostics(code: string): string[] {
    const dir = mkdtempSync(join(tmpdir(), 'weft-types-'));
    try {
      writeFileSync(join(dir, 'example.ts'), code);
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: 'ESNext',
            moduleResolution: 'Bundler',
            lib: ['ES2024', 'ESNext.Disposable', 'DOM'],
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            allowImportingTsExtensions: true,
            types: [],
            paths: { 'weft/*': [join(root, 'src/weft/*.ts')] },
          },
          files: ['example.ts'],
        }),
      );
      try {
        // Pretty output keeps the related information ("An argument for '…' was not provided"), as the editor shows it.
        execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', dir, '--pretty', 'true'], { encoding: 'utf8' });
        return [];
      } catch (error) {
        const output = String((error as { stdout?: string }).stdout ?? '').replace(/\x1b\[[0-9;]*m/g, '');
        // One entry per error: its first line, and the related information that follows it.
        return output.split(/\n(?=\S*example\.ts:\d+:\d+ - error)/).filter((entry) => /example\.ts:\d+:\d+ - error/.test(entry));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('await keeps the value type, .then on a weft future is a type error naming what to use', () => {
    const ok = diagnostics(`import { sleep, spawn, join, select } from "weft/task";
export async function main() {
  const handle = spawn(async () => 5);
  const n: number = await handle;
  const [a, b]: [void, number] = await join(sleep(1), handle);
  const first = await select({ tick: sleep(1) });
  return n + b + first.key.length;
}`);
    expect(ok).toEqual([]);
    const bad = diagnostics(`import { sleep, spawn } from "weft/task";
export function main() {
  sleep(1).then(() => 1);
  spawn(async () => 5).then((v) => v);
}`);
    expect(bad).toHaveLength(2);
    for (const message of bad) {
      expect(message).toContain('Expected 2 arguments, but got 1');
      expect(message).toContain("An argument for 'weft_futures_are_not_Promises_use_await_join_or_select' was not provided");
    }
  });
});
