/**
 * Imports under another name: the compile step follows the program's own
 * bindings, so a weft function renamed on import (or reached through a
 * namespace import) is recognised as what it is; `import … from "weft"`,
 * which names no module, is refused at its line and column with the four
 * module names.
 */
import { describe, expect, it } from 'vitest';
import { compileError } from '../support/compile.ts';
import { runProgram } from '../support/run-program.ts';

describe('weft imports under another name', () => {
  it('`import { spawn as spawnThread }` then spawnThread(() => …) moves its captures into a thread', async () => {
    const run = await runProgram(`import { spawn as spawnThread, scope as threadScope } from "weft/thread";
import { mpsc, Arc, Mutex } from "weft/sync";

function main() {
  const [tx, rx] = mpsc.channel<string>();
  const greeting = "hello";
  spawnThread(() => tx.send(greeting + " from a renamed spawn")).join();
  console.log(rx.recv());
  const total = new Arc(new Mutex(0));
  threadScope((s) => { for (let i = 1; i <= 3; i++) s.spawn(() => { using g = total.lock(); g.value += i; }); });
  console.log("total", total.lock().value);
}
`);
    expect(run.errors, JSON.stringify(run.errors)).toEqual([]);
    expect(run.lines).toEqual(['hello from a renamed spawn', 'total 6']);
  });

  it('`import * as thread from "weft/thread"` then thread.spawn(() => …) works', async () => {
    const run = await runProgram(`import * as thread from "weft/thread";
import * as sync from "weft/sync";

function main() {
  const counter = new sync.Arc(new sync.AtomicI32(0));
  const handles = [];
  for (let i = 0; i < 3; i++) {
    const c = counter.clone();
    handles.push(thread.spawn(() => { c.fetchAdd(1, sync.Ordering.SeqCst); }));
  }
  for (const h of handles) h.join();
  console.log(counter.load(sync.Ordering.SeqCst));
}
`);
    expect(run.errors, JSON.stringify(run.errors)).toEqual([]);
    expect(run.lines).toEqual(['3']);
  });

  it('a renamed weft/task spawn still moves what an async closure captures', async () => {
    const run = await runProgram(`import { spawn as spawnTask, mpsc } from "weft/task";

async function main() {
  const [tx, rx] = mpsc.channel<number>(4);
  await spawnTask(async () => { await tx.send(7); });
  console.log(await rx.recv());
  // The task owned tx and dropped it when it ended: the channel is closed.
  console.log(await rx.recv());
}
`);
    expect(run.errors, JSON.stringify(run.errors)).toEqual([]);
    expect(run.lines).toEqual(['7', 'undefined']);
  });

  it('`import … from "weft"` is a compile error at the module name, naming the four modules', () => {
    const source = `import { spawn } from "weft/thread";\nimport { Mutex } from "weft";\nfunction main() {}\n`;
    const { line, column, message } = compileError(source);
    expect([line, column]).toEqual([2, 23]);
    for (const module of ['weft/thread', 'weft/sync', 'weft/task', 'weft/par']) expect(message).toContain(`'${module}'`);
  });
});

describe('names imported for their types', () => {
  it('`import { Future, Context }` used only in types runs: the names are not read from the module, which has no such value', async () => {
    const run = await runProgram(`import { spawn, Future, Poll, Context } from "weft/task";
import {
  Result,
  Mutex,
} from "weft/sync";

class Ready implements Future<number> {
  poll(_cx: Context): Poll<number> { return Poll.ready(5); }
}
async function main() {
  const r: Result<number, string> = { ok: true, value: 1 };
  const m: Mutex<number> | undefined = undefined;
  console.log(await spawn(new Ready()), r.ok, m);
}
`);
    expect(run.errors, JSON.stringify(run.errors)).toEqual([]);
    expect(run.lines).toEqual(['5 true undefined']);
  });

  it('a name a module does not export, used as a value, still fails at its import, listing what the module exports', async () => {
    const run = await runProgram(`import { spawn, spwan } from "weft/thread";
function main() {
  spwan(() => 1).join();
}
`);
    expect(run.outcome.status).toBe('panic');
    expect(run.errors[0]!.message).toContain("'weft/thread' has no export named 'spwan'. It exports: ");
    expect(run.errors[0]!.location?.line).toBe(1);
  });
});
