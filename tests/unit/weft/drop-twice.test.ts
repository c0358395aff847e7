/**
 * `drop(x)` takes `x` by value: in Rust, dropping a value that was moved
 * away, or dropping it twice, is a compile error ("use of moved value").
 * weft throws instead, at run time, naming the line of the move or of the
 * first drop.
 * https://doc.rust-lang.org/std/mem/fn.drop.html
 */
import { describe, expect, it } from 'vitest';
import { lineOf, programsWith } from '../support/run-program.ts';

const { run } = programsWith(`import { spawn } from "weft/thread";
import { Arc, Mutex, mpsc, drop } from "weft/sync";
`);

describe('drop of a handle that is no longer yours', () => {
  it('drop(tx) after tx moved into a thread throws "use of moved value", naming the spawn line', async () => {
    const result = await run(`
function main() {
  const [tx, rx] = mpsc.channel<number>();
  const h = spawn(() => tx.send(1));
  h.join();
  drop(tx);
}`);
    expect(result.outcome.status).toBe('panic');
    const message = result.errors[0]!.message;
    expect(message).toContain('use of moved value `tx`');
    expect(message).toContain(`line ${lineOf(result.source, 'const h = spawn')}`);
    expect(result.errors[0]!.location?.line).toBe(lineOf(result.source, 'drop(tx);'));
  });

  it('dropping a Sender twice throws, naming the line of the first drop', async () => {
    const result = await run(`
function main() {
  const [tx, rx] = mpsc.channel<number>();
  drop(tx);
  console.log("first drop ok");
  drop(tx);
}`);
    expect(result.lines).toEqual(['first drop ok']);
    expect(result.outcome.status).toBe('panic');
    expect(result.errors[0]!.message).toContain(`this Sender was already dropped at line ${lineOf(result.source, 'drop(tx);')}`);
    expect(result.errors[0]!.location?.line).toBe(lineOf(result.source, 'drop(tx);') + 2);
  });

  it('dropping an Arc twice names it an Arc, the class the reader made (it said ArcRef, a name inside weft)', async () => {
    const result = await run(`
function main() {
  const a = new Arc(new Mutex(1));
  drop(a);
  drop(a);
}`);
    expect(result.outcome.status).toBe('panic');
    expect(result.errors[0]!.message).toContain(`this Arc was already dropped at line ${lineOf(result.source, 'drop(a);')}`);
    expect(result.errors[0]!.message).not.toContain('ArcRef');
  });

  it("dropping a guard twice throws rather than unlocking someone else's hold", async () => {
    const result = await run(`
function main() {
  const m = new Mutex(1);
  const g = m.lock();
  drop(g);
  drop(g);
}`);
    expect(result.outcome.status).toBe('panic');
    expect(result.errors[0]!.message).toContain('this MutexGuard was already dropped');
  });

  it('an Arc moved into a thread cannot be dropped afterwards; plain data can be passed to drop freely', async () => {
    const result = await run(`
function main() {
  const data = new Arc(new Mutex(0));
  drop(5); drop("text"); drop({ plain: true });
  spawn(() => { using g = data.lock(); g.value += 1; }).join();
  drop(data);
}`);
    expect(result.outcome.status).toBe('panic');
    expect(result.errors[0]!.message).toContain('use of moved value `data`');
  });
});
