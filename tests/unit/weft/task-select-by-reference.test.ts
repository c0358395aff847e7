/**
 * `select` on a future by reference: Tokio's everyday loop pins an
 * operation once (`tokio::pin!(op)`) and selects on `&mut op` every
 * iteration next to a tick; the operation is not cancelled when its branch
 * loses, and runs once. A branch can be disabled (`, if cond`), and the
 * `else` branch runs when every branch is disabled.
 * https://docs.rs/tokio/latest/tokio/macro.select.html
 */
import { describe, expect, it } from 'vitest';
import { programsWith } from '../support/run-program.ts';

const { ok, run } = programsWith(`import { select, sleep, pin, time } from "weft/task";
`);

describe('select by reference', () => {
  it('a pinned operation keeps running across selects that its branch loses, and finishes once', async () => {
    const result = await ok(`
async function slowOp(): Promise<string> {
  console.log("op started");
  try {
    await sleep(100);
    return "done";
  } finally {
    console.log("op cleanup");
  }
}
async function main() {
  time.pause();
  const op = pin(slowOp());
  let ticks = 0;
  for (;;) {
    const r = await select({ op, tick: sleep(30) }, { biased: true });
    if (r.key === "op") { console.log("op finished with", r.value, "after", ticks, "ticks at", time.now()); break; }
    ticks++;
  }
}`);
    expect(result.lines).toEqual(['op started', 'op cleanup', 'op finished with done after 3 ticks at 100']);
  });

  it('a finished pinned branch is disabled with !op.isTerminated() && op; polling it again would throw', async () => {
    const result = await run(`
async function main() {
  time.pause();
  const op = pin(sleep(10));
  const seen = [];
  for (let i = 0; i < 4; i++) {
    const r = await select({ op: !op.isTerminated() && op, tick: sleep(7) }, { biased: true });
    seen.push(r.key + "@" + time.now());
  }
  console.log(seen.join(" "));
  try { await select({ op, tick: sleep(7) }); } catch (e) { console.log(e.message.split(":")[0]); }
}`);
    expect(result.outcome.status).toBe('ok');
    expect(result.lines).toEqual(['tick@7 op@10 tick@17 tick@24', 'this pinned future already finished (Rust']);
  });

  it('the else branch runs when every branch is disabled; without it select throws', async () => {
    const result = await run(`
async function main() {
  const r = await select({ a: false, b: null }, { else: true });
  console.log(r.key);
  try { await select({ a: false }); } catch (e) { console.log(e.message); }
}`);
    expect(result.outcome.status).toBe('ok');
    expect(result.lines).toEqual(['else', 'select: all branches are disabled and there is no else branch (pass { else: true } to handle that case)']);
  });

  it("dropping the pinned future cancels the operation: its cleanup runs once, at the owner's drop", async () => {
    const result = await ok(`
async function op(): Promise<void> {
  try { await sleep(1000); } finally { console.log("op cancelled"); }
}
async function main() {
  time.pause();
  {
    using pinned = pin(op());
    await select({ pinned, tick: sleep(5) });
    console.log("select lost, op still pending:", !pinned.isTerminated());
  }
  console.log("after the block");
}`);
    expect(result.lines).toEqual(['select lost, op still pending: true', 'op cancelled', 'after the block']);
  });
});
