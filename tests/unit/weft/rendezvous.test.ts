/**
 * The rendezvous channel, `syncChannel(0)`, at its edges, free-running and
 * under seeds: Rust's `sync_channel(0)` hands a message straight from a
 * sender to a waiting receiver, so `try_send` fails with Full when none
 * waits, and a blocked `send` fails with `SendError(value)` when the
 * receiver is dropped without taking it.
 * https://doc.rust-lang.org/std/sync/mpsc/fn.sync_channel.html
 * Upstream: library/std/tests/sync/mpsc_sync.rs `try_send1`, `oneshot_single_thread_send_port_close`.
 */
import { describe, expect, it } from 'vitest';
import { program, runProgram } from '../support/run-program.ts';
import { schedules } from '../support/schedules.ts';

const SCHEDULES = schedules([1, 2, 3, 4]);

describe('syncChannel(0): trySend', () => {
  for (const { label, options } of SCHEDULES) {
    it(`try_send1: fails with Full when no receiver is waiting (${label})`, async () => {
      const run = await runProgram(
        program(`
  const [tx, rx] = mpsc.syncChannel<number>(0);
  try { tx.trySend(1); console.log("sent"); } catch (e) { console.log(e.name, e.kind, e.value); }
  drop(rx);
  try { tx.trySend(2); } catch (e) { console.log(e.name, e.kind, e.value); }`),
        options,
      );
      expect(run.outcome.status).toBe('ok');
      expect(run.lines).toEqual(['TrySendError full 1', 'TrySendError disconnected 2']);
    });
  }

  it('succeeds once the receiver is blocked in recv, and the receiver gets the value', async () => {
    const run = await runProgram(
      program(`
  const [tx, rx] = mpsc.syncChannel<number>(0);
  const h = spawn(() => rx.recv());
  let fulls = 0;
  for (;;) {
    try { tx.trySend(42); break; } catch (e) { if (e.kind !== "full") throw e; fulls++; }
  }
  console.log("received", h.join());`),
      { seed: 5 },
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['received 42']);
  });
});

describe('syncChannel(0): a blocked send whose receiver is dropped', () => {
  for (const { label, options } of SCHEDULES) {
    it(`oneshot_single_thread_send_port_close: one sender gets SendError with its value back (${label})`, async () => {
      const run = await runProgram(
        program(`
  const [tx, rx] = mpsc.syncChannel<{ n: number }>(0);
  const h = spawn(() => {
    try { tx.send({ n: 7 }); console.log("sent"); } catch (e) { console.log(e.name, e.value.n); }
  });
  sleep(20);
  drop(rx);
  h.join();`),
        options,
      );
      expect(run.outcome.status).toBe('ok');
      expect(run.lines).toEqual(['SendError 7']);
    });

    it(`two senders, one message received: one send succeeds, the other fails with its own value (${label})`, async () => {
      const run = await runProgram(
        program(`
  const [tx, rx] = mpsc.syncChannel<number>(0);
  const tx2 = tx.clone();
  const a = spawn(() => { try { tx.send(1); return "ok 1"; } catch (e) { return e.name + " " + e.value; } });
  const b = spawn(() => { try { tx2.send(2); return "ok 2"; } catch (e) { return e.name + " " + e.value; } });
  const got = rx.recv();
  sleep(20);
  drop(rx);
  const results = [a.join(), b.join()];
  console.log(results.includes("ok " + got), results.filter((r) => r.startsWith("SendError")).length);
  console.log(results.find((r) => r.startsWith("SendError")) === "SendError " + (3 - got));`),
        options,
      );
      expect(run.outcome.status).toBe('ok');
      expect(run.lines).toEqual(['true 1', 'true']);
    });
  }
});
