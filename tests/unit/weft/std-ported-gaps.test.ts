/**
 * Rust std tests that the conformance suite had not ported, and which weft
 * failed: each case is the upstream test's body in weft, with what it
 * asserts. Upstream: library/std/tests/sync/mpsc.rs, mpsc_sync.rs.
 */
import { describe, expect, it } from 'vitest';
import { programsWith } from '../support/run-program.ts';

const { ok } = programsWith(`import { spawn } from "weft/thread";
import { mpsc, drop } from "weft/sync";
`);

describe('std mpsc: Receiver.iter()', () => {
  it('test_recv_try_iter and test_recv_iter_break', async () => {
    const run = await ok(`
function main() {
  {
    const [requestTx, requestRx] = mpsc.channel<void>();
    const [responseTx, responseRx] = mpsc.channel<number>();
    const t = spawn(() => {
      let count = 0;
      for (;;) {
        for (const x of responseRx.tryIter()) {
          count += x;
          if (count === 6) return count;
        }
        requestTx.send(undefined);
      }
    });
    for (const _ of requestRx.iter()) {
      try { responseTx.send(2); } catch { break; }
    }
    console.log("test_recv_try_iter", t.join());
  }
  {
    const [tx, rx] = mpsc.syncChannel<number>(0);
    const [countTx, countRx] = mpsc.syncChannel<number>(0);
    const t = spawn(() => {
      let count = 0;
      for (const x of rx.iter()) {
        if (count >= 3) break;
        count += x;
      }
      countTx.send(count);
    });
    tx.send(2); tx.send(2); tx.send(2);
    try { tx.trySend(2); } catch {}
    drop(tx);
    console.log("test_recv_iter_break", countRx.recv());
    t.join();
  }
}`);
    expect(run.lines).toEqual(['test_recv_try_iter 6', 'test_recv_iter_break 4']);
  });
});

describe('std once_lock.rs: into_inner and from_impl', () => {
  it('OnceLock.intoInner gives the value or undefined and spends the cell; OnceLock.from holds its value', async () => {
    const run = await ok(`
import { OnceLock } from "weft/sync";
function main() {
  const empty = new OnceLock<string>();
  console.log("into_inner empty:", empty.intoInner());
  const cell = new OnceLock<string>();
  cell.set("hello");
  console.log("into_inner:", cell.intoInner());
  try { cell.get(); } catch (e: any) { console.log("spent:", e.name); }
  console.log("from_impl:", OnceLock.from("value").get(), OnceLock.from("foo").get() !== "bar");
  const shared = OnceLock.from(7);
  console.log("from, in a thread:", spawn(() => shared.get()).join());
}`);
    expect(run.lines).toEqual(['into_inner empty: undefined', 'into_inner: hello', 'spent: MovedValueError', 'from_impl: value true', 'from, in a thread: 7']);
  });
});
