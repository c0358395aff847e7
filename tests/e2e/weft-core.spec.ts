// The core of weft in a real Chromium page: spawn/join, Mutex, channels and a
// panic's location, run by the book's own runner module (browser-host, the
// chunk the chapter pages load on demand) against the built site, with the
// site's isolation headers. Nothing test-only ships: the page imports the
// built chunk by its file name.
import { test, expect } from './support/fixtures.ts';
import { runInPage as run } from './support/run-in-page.ts';

test.describe('weft core in Chromium', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/');
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  });

  test('spawn and join on pooled workers, including spawn from a spawned thread and 64 threads', async ({ page }) => {
    const result = await run(
      page,
      `import { spawn } from "weft/thread";
function main() {
  let sum = 0;
  for (let i = 0; i < 50; i++) sum += spawn(() => i).join();
  const outer = spawn(() => spawn(() => 20).join() + 1);
  const many = [];
  for (let i = 0; i < 64; i++) many.push(spawn(() => i * 2));
  console.log(sum, outer.join(), many.reduce((a, h) => a + h.join(), 0));
}`,
    );
    expect(result.errors).toEqual([]);
    expect(result.status).toBe('ok');
    expect(result.labelled).toEqual([`[main] 1225 21 ${63 * 64}`]);
  });

  test('a Mutex shared through an Arc loses no update; a channel delivers every message in order', async ({ page }) => {
    const result = await run(
      page,
      `import { spawn } from "weft/thread";
import { Arc, Mutex, mpsc } from "weft/sync";
function main() {
  const counter = new Arc(new Mutex(0));
  const hs = [];
  for (let t = 0; t < 4; t++) {
    const c = counter.clone();
    hs.push(spawn(() => { for (let i = 0; i < 1000; i++) { using g = c.lock(); g.value += 1; } }));
  }
  for (const h of hs) h.join();
  const [tx, rx] = mpsc.channel();
  spawn(() => { for (let i = 0; i < 100; i++) tx.send({ i }); });
  const got = [...rx].map((m) => m.i);
  const [rtx, rrx] = mpsc.syncChannel(0);
  const echo = spawn(() => rrx.recv() * 2);
  rtx.send(21);
  console.log(counter.lock().value, got.length, got.every((v, k) => v === k), echo.join());
}`,
    );
    expect(result.errors).toEqual([]);
    expect(result.labelled).toEqual(['[main] 4000 100 true 42']);
  });

  test("a thread's panic names the thread and the reader's line", async ({ page }) => {
    const result = await run(
      page,
      `import { builder } from "weft/thread";
function main() {
  const h = builder().name("doomed").spawn(() => {
    throw new Error("boom");
  });
  h.join();
}`,
    );
    expect(result.status).toBe('panic');
    const threadPanic = result.errors.find((e) => e.thread === 'doomed');
    expect(threadPanic?.message).toContain("thread 'doomed' panicked: boom");
    expect(threadPanic?.line).toBe(4);
  });

  test("messages name weft's own types as the reader wrote them, not as the minifier renamed them", async ({ page }) => {
    // The built book minifies its workers; a message built from a class's name read "an instance of class e".
    const notSend = await run(
      page,
      `import { spawn } from "weft/thread";
import { Mutex } from "weft/sync";
function main() {
  const m = new Mutex(5);
  using guard = m.lock();
  spawn(() => console.log(guard.value)).join();
}`,
    );
    expect(notSend.status).toBe('panic');
    expect(notSend.errors[0]?.message).toContain('`guard` is an instance of class MutexGuard');
    const dropped = await run(
      page,
      `import { mpsc, drop } from "weft/sync";
function main() {
  const [tx, rx] = mpsc.channel<number>();
  drop(rx);
  drop(rx);
}`,
    );
    expect(dropped.errors[0]?.message).toContain('this Receiver was already dropped');
  });

  const RACY = `import { spawn } from "weft/thread";
import { Arc, Mutex } from "weft/sync";
function main() {
  const counter = new Arc(new Mutex(0));
  const hs = [];
  for (let t = 0; t < 3; t++) {
    const c = counter.clone();
    hs.push(spawn(() => {
      for (let i = 0; i < 5; i++) {
        let seen;
        { using g = c.lock(); seen = g.value; }
        { using g = c.lock(); g.value = seen + 1; }
      }
    }));
  }
  for (const h of hs) h.join();
  console.log("total", counter.lock().value);
}`;

  test('a seed replays the same interleaving, output and trace in the page', async ({ page }) => {
    const first = await run(page, RACY, { seed: 5, trace: true });
    const second = await run(page, RACY, { seed: 5, trace: true });
    expect(first.errors).toEqual([]);
    expect(second.labelled).toEqual(first.labelled);
    expect(JSON.stringify(second.trace)).toBe(JSON.stringify(first.trace));
    expect(first.trace!.filter((e) => e.kind === 'lock')).toHaveLength(31); // 30 in the threads, 1 in main
    expect(first.trace!.find((e) => e.kind === 'spawn')?.line).toBe(8);
  });

  test('a deadlock is named in the page, with both threads at their lines', async ({ page }) => {
    const result = await run(
      page,
      `import { builder } from "weft/thread";
import { Arc, Barrier, Mutex } from "weft/sync";
function main() {
  const [a, b, both] = [new Arc(new Mutex(0)), new Arc(new Mutex(0)), new Arc(new Barrier(2))];
  const [a2, b2, both2] = [a.clone(), b.clone(), both.clone()];
  const t = builder().name("worker").spawn(() => {
    using gb = b2.lock();
    both2.wait();
    using ga = a2.lock();
  });
  using ga = a.lock();
  both.wait();
  using gb = b.lock();
  t.join();
}`,
    );
    expect(result.status).toBe('deadlock');
    expect(result.errors.map((e) => `${e.thread}:${e.line}`).sort()).toEqual(['main:13', 'worker:9']);
    expect(result.message).toContain("'main' (line 13) waits for 'worker'");
  });
});
