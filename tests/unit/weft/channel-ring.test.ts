/**
 * The channel's queue (sync/mpsc.ts): a chain of rings, a new one twice the
 * size started when the senders find theirs full, read on by the receiver
 * once it has read the old one to its end. These programs cross ring
 * boundaries on purpose (the first ring has 14 slots): every message must
 * arrive once, in each sender's order, whatever the schedule, whoever
 * receives, and wherever the Receiver has moved.
 * Upstream: library/std/tests/sync/mpsc.rs `stress`, `stress_shared`,
 * `test_recv_iter_break`; mpsc_sync.rs `stress`, `send_from_outside_runtime`.
 */
import { describe, expect, it } from 'vitest';
import { program, runProgram } from '../support/run-program.ts';
import { schedules } from '../support/schedules.ts';

const SCHEDULES = schedules([11, 12, 13]);

describe('a channel crossing ring boundaries', () => {
  for (const { label, options } of SCHEDULES) {
    it(`keeps FIFO order for numbers and objects mixed, queued and drained in bursts (${label})`, async () => {
      const run = await runProgram(
        program(`
  const [tx, rx] = mpsc.channel<number | { n: number; s: string }>();
  let next = 0, expected = 0, bad = 0;
  // Bursts longer than each ring so far, drained part way: the queue spans two or three rings at once.
  for (const burst of [5, 14, 15, 29, 31, 61, 63, 200, 3, 500]) {
    for (let i = 0; i < burst; i++, next++) tx.send(next % 3 === 0 ? { n: next, s: "m" + next } : next);
    for (let i = 0; i < Math.ceil(burst / 2); i++, expected++) {
      const v = rx.recv();
      const n = typeof v === "number" ? v : v.n;
      if (n !== expected || (typeof v !== "number" && v.s !== "m" + n)) bad++;
    }
  }
  drop(tx);
  for (const v of rx) { const n = typeof v === "number" ? v : v.n; if (n !== expected) bad++; expected++; }
  console.log(expected === next && next > 900 ? "all arrived" : "missing " + (next - expected), "out of order " + bad);`),
        options,
      );
      expect(run.outcome.status).toBe('ok');
      expect(run.lines).toEqual(['all arrived out of order 0']);
    });

    it(`delivers every message of 4 producers once, in each producer's order, to a receiver on another thread (${label})`, async () => {
      const run = await runProgram(
        program(`
  const [tx, rx] = mpsc.channel<[number, number]>();
  const n = 300;
  const producers = [0, 1, 2, 3].map((p) => { const mine = tx.clone(); return spawn(() => { for (let i = 0; i < n; i++) mine.send([p, i]); }); });
  drop(tx);
  const consumer = spawn(() => {
    const last = [-1, -1, -1, -1]; let got = 0, bad = 0;
    for (const [p, i] of rx) { if (i !== last[p] + 1) bad++; last[p] = i; got++; }
    return [got, bad];
  });
  for (const h of producers) h.join();
  const [got, bad] = consumer.join();
  console.log(got, bad);`),
        options,
      );
      expect(run.outcome.status).toBe('ok');
      expect(run.lines).toEqual(['1200 0']);
    });
  }

  it('carries every number exactly, NaN and -0 included, beside messages too long to sit in the ring', async () => {
    const run = await runProgram(
      program(`
  const [tx, rx] = mpsc.channel<number | string>();
  const numbers = [NaN, -0, 0, Infinity, -Infinity, 5e-324, Number.MAX_VALUE, 1 / 3, -(2 ** 53)];
  const long = "x".repeat(3000);
  // Numbers between long strings (a block each) and short ones (in the ring), across several rings.
  for (let round = 0; round < 20; round++) for (const n of numbers) { tx.send(n); tx.send(round % 2 ? long + round : "s" + round); }
  drop(tx);
  let ok = 0, bad = 0, round = 0, i = 0;
  for (const v of rx) {
    if (i % 2 === 0) { const n = numbers[(i / 2) % numbers.length]; if (Object.is(v, n)) ok++; else bad++; }
    else if (v === (round % 2 ? long + round : "s" + round)) ok++; else bad++;
    i++; if (i % (2 * numbers.length) === 0) round++;
  }
  console.log(ok === 20 * 2 * numbers.length ? "all exact" : "ok " + ok, "bad " + bad);`),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['all exact bad 0']);
  });

  it('moves the handles of each message once, in short and long messages alike, and none of the next message\'s', async () => {
    // A message is encoded on the thread's Writer and copied into the ring from there: the handles it met must move
    // with it, and a message after it, with none of its own, must move nothing (or its send would find them moved).
    const run = await runProgram(
      program(`
  const [tx, rx] = mpsc.channel<{ reply?: mpsc.Sender<string>; pad: string; n: number }>();
  const replies: mpsc.Receiver<string>[] = [];
  for (let i = 0; i < 40; i++) {
    const [replyTx, replyRx] = mpsc.channel<string>();
    replies.push(replyRx);
    // Short messages sit in the ring; every fourth is too long for it and gets a block of its own.
    const pad = i % 4 === 3 ? "p".repeat(600) : "p";
    tx.send({ reply: replyTx, pad, n: i });
    tx.send({ pad, n: -i });
    try { replyTx.send("too late"); } catch (e) { if (!String(e).includes("moved")) throw e; }
  }
  drop(tx);
  const h = spawn(() => {
    let answered = 0;
    for (const m of rx) if (m.reply !== undefined) { m.reply.send("answer " + m.n); answered++; }
    return answered;
  });
  const answered = h.join();
  const got = replies.map((r) => r.recv());
  console.log(answered, got.every((g, i) => g === "answer " + i) ? "each reply arrived" : got.join(","));`),
    );
    expect(run.errors).toEqual([]);
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['40 each reply arrived']);
  });

  it('hands the rest of the queue to a Receiver moved to another thread mid-stream, across rings', async () => {
    const run = await runProgram(
      program(`
  const [tx, rx] = mpsc.channel<number>();
  for (let i = 0; i < 100; i++) tx.send(i);
  const firstHalf: number[] = [];
  for (let i = 0; i < 40; i++) firstHalf.push(rx.recv());
  const [handTx, handRx] = mpsc.channel<mpsc.Receiver<number>>();
  const h = spawn(() => {
    const moved = handRx.recv();
    const rest: number[] = [];
    for (const v of moved) rest.push(v);
    return rest;
  });
  handTx.send(rx);
  for (let i = 100; i < 400; i++) tx.send(i);
  drop(tx);
  const rest = h.join();
  const all = firstHalf.concat(rest);
  console.log(all.length, all.every((v, i) => v === i));`),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['400 true']);
  });

  it('serves consumers sharing the Receiver through Arc<Mutex<…>> while the queue grows: each message once', async () => {
    const run = await runProgram(
      program(`
  const [tx, rx] = mpsc.channel<number>();
  const shared = new Arc(new Mutex(rx));
  const producers = [0, 1].map((p) => { const mine = tx.clone(); return spawn(() => { for (let i = 0; i < 1000; i++) mine.send(p * 1000 + i); }); });
  drop(tx);
  const consumers = [0, 1, 2].map(() => { const mine = shared.clone(); return spawn(() => {
    const got: number[] = [];
    for (;;) {
      const g = mine.lock();
      let v: number | undefined;
      try { v = g.value.recv(); } catch { v = undefined; }
      g.unlock();
      if (v === undefined) return got;
      got.push(v);
    }
  }); });
  for (const h of producers) h.join();
  const seen = new Set<number>(); let dup = 0;
  for (const h of consumers) for (const v of h.join()) { if (seen.has(v)) dup++; seen.add(v); }
  console.log(seen.size, dup);`),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['2000 0']);
  });

  for (const { label, options } of SCHEDULES) {
    it(`a bound larger than the first ring still holds: a sender blocks at exactly the bound (${label})`, async () => {
      const run = await runProgram(
        program(`
  const [tx, rx] = mpsc.syncChannel<number>(40);
  let full = -1;
  for (let i = 0; i < 41; i++) { try { tx.trySend(i); } catch (e) { full = i; break; } }
  const h = spawn(() => { for (let i = 41; i < 300; i++) tx.send(i); });
  let ok = true;
  for (let i = 0; i < 40; i++) ok &&= rx.recv() === i;
  for (let i = 41; i < 300; i++) ok &&= rx.recv() === i;
  h.join();
  console.log("full at", full, ok);`),
        options,
      );
      expect(run.outcome.status).toBe('ok');
      expect(run.lines).toEqual(['full at 40 true']);
    });
  }

  it('gives every one of 20 blocked rendezvous senders its value back when the receiver is dropped (their queue outgrows a ring)', async () => {
    const run = await runProgram(
      program(`
  const [tx, rx] = mpsc.syncChannel<{ n: number }>(0);
  const hs = Array.from({ length: 20 }, (_, n) => { const mine = tx.clone(); return spawn(() => {
    try { mine.send({ n }); return "sent"; } catch (e) { return e.name + " " + e.value.n; }
  }); });
  sleep(100);
  const first = rx.recv();
  drop(rx);
  const results = hs.map((h) => h.join());
  const back = results.filter((r) => r.startsWith("SendError")).length;
  console.log(results.filter((r) => r === "sent").length, back, results.includes("SendError " + first.n));`),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['1 19 false']);
  });

  it('after a receive times out, a rendezvous trySend fails with Full instead of waiting for a receiver that left', async () => {
    const run = await runProgram(
      program(`
  const [tx, rx] = mpsc.syncChannel<number>(0);
  try { rx.recvTimeout(20); } catch (e) { console.log(e.name, e.kind); }
  try { tx.trySend(1); console.log("sent"); } catch (e) { console.log(e.name, e.kind); }`),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['RecvTimeoutError timeout', 'TrySendError full']);
  });

  it('wakes a receiver asleep on an empty channel when the last Sender goes', async () => {
    const run = await runProgram(
      program(`
  const [tx, rx] = mpsc.channel<number>();
  const h = spawn(() => { try { rx.recv(); return "got"; } catch (e) { return e.name; } });
  sleep(50);
  drop(tx);
  console.log(h.join());`),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['RecvError']);
  });
});
