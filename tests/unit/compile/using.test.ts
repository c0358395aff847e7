/**
 * `using` declarations in a reader's program behave as the language says
 * (ECMAScript explicit resource management, TypeScript 5.2's `using`),
 * however the compile step carries them out (compile/using-unwind.ts lowers
 * most of them to `const` and a `try … finally`, since V8's own `using` costs
 * ~400 ns): disposal at the block's end in reverse order of declaration, on
 * every way out of the block (end, break, continue, return, throw, await),
 * null and undefined allowed, anything else without a dispose method refused
 * where it is declared, and a dispose that throws during a throw reported as a
 * SuppressedError holding both errors.
 */
import { describe, expect, it } from 'vitest';
import { runProgram } from '../support/run-program.ts';

const resource = `class Resource {
  constructor(readonly name: string, readonly log: string[], readonly fails = false) {}
  [Symbol.dispose]() {
    this.log.push(\`dispose \${this.name}\`);
    if (this.fails) throw new Error(\`dispose \${this.name} failed\`);
  }
}
`;

async function lines(body: string): Promise<string[]> {
  const run = await runProgram(`import { sleep } from "weft/task";\n${resource}${body}`);
  expect(run.outcome.status, JSON.stringify(run.errors)).toBe('ok');
  return run.lines;
}

describe('using declarations', () => {
  it('dispose at the end of their block, the last declared first', async () => {
    expect(
      await lines(`function main() {
  const log: string[] = [];
  {
    using a = new Resource("a", log);
    using b = new Resource("b", log);
    log.push("body");
  }
  log.push("after");
  console.log(log.join(", "));
}`),
    ).toEqual(['body, dispose b, dispose a, after']);
  });

  it('dispose on break, continue and return, once each', async () => {
    expect(
      await lines(`function walk(log: string[]): string {
  for (let i = 0; ; i++) {
    using r = new Resource(\`r\${i}\`, log);
    if (i === 0) continue;
    if (i === 1) { log.push("returning"); return "done"; }
    log.push("unreachable");
  }
}
function main() {
  const log: string[] = [];
  while (true) {
    using w = new Resource("w", log);
    log.push(walk(log));
    break;
  }
  console.log(log.join(", "));
}`),
    ).toEqual(['dispose r0, returning, dispose r1, done, dispose w']);
  });

  it('allow null and undefined, and refuse a value without a dispose method where it is declared', async () => {
    expect(
      await lines(`function main() {
  const log: string[] = [];
  {
    using n = null;
    using u = undefined;
    log.push("nullish ok");
  }
  try {
    const value: any = 5;
    using x = value;
    log.push("unreachable");
  } catch (e) {
    log.push((e as Error).name);
  }
  console.log(log.join(", "));
}`),
    ).toEqual(['nullish ok, TypeError']);
  });

  it('rethrow what the block threw after disposing; a dispose that throws too gives a SuppressedError with both', async () => {
    expect(
      await lines(`function main() {
  const log: string[] = [];
  try {
    using r = new Resource("r", log);
    throw new Error("body failed");
  } catch (e) {
    log.push(\`caught \${(e as Error).message}\`);
  }
  try {
    using r = new Resource("s", log, true);
    throw new Error("body failed");
  } catch (e: any) {
    log.push(\`\${e.name}: \${e.error.message} / \${e.suppressed.message}\`);
  }
  try {
    using r = new Resource("t", log, true);
    log.push("body ok");
  } catch (e) {
    log.push(\`caught \${(e as Error).message}\`);
  }
  console.log(log.join(", "));
}`),
    ).toEqual(['dispose r, caught body failed, dispose s, SuppressedError: dispose s failed / body failed, body ok, dispose t, caught dispose t failed']);
  });

  it('in an async function, hold the resource across an await and dispose after it', async () => {
    expect(
      await lines(`async function main() {
  const log: string[] = [];
  {
    using r = new Resource("r", log);
    await sleep(1);
    log.push("after await");
  }
  console.log(log.join(", "));
}`),
    ).toEqual(['after await, dispose r']);
  });
});
