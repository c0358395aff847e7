/**
 * tokio::sync::oneshot `Receiver::close`: the Sender can no longer send;
 * `try_recv` then gives a value sent before the close, and `Closed`
 * otherwise; awaiting the Receiver finishes instead of waiting forever.
 * https://docs.rs/tokio/latest/tokio/sync/oneshot/struct.Receiver.html#method.close
 * Upstream: tokio/tests/sync_oneshot.rs `close_try_recv_poll`, `close_after_recv`, `try_recv_after_completion`.
 */
import { describe, expect, it } from 'vitest';
import { programsWith } from '../support/run-program.ts';

const { ok } = programsWith(`import { oneshot } from "weft/task";
`);

describe('oneshot Receiver.close', () => {
  it('close_try_recv_poll: after close, tryRecv reports Closed and awaiting the Receiver completes with RecvError', async () => {
    const run = await ok(`
async function main() {
  const [tx, rx] = oneshot.channel<number>();
  rx.close();
  console.log("sender sees closed:", tx.isClosed());
  try { rx.tryRecv(); } catch (e) { console.log("tryRecv:", e.name, e.kind); }
  try { await rx; } catch (e) { console.log("await:", e.name); }
  try { tx.send(1); } catch (e) { console.log("send:", e.name, e.value); }
}`);
    expect(run.lines).toEqual(['sender sees closed: true', 'tryRecv: TryRecvError disconnected', 'await: RecvError', 'send: SendError 1']);
  });

  it('a value sent before close is still received, by tryRecv or by await', async () => {
    const run = await ok(`
async function main() {
  const [tx, rx] = oneshot.channel<string>();
  tx.send("will receive");
  rx.close();
  console.log(rx.tryRecv());
  const [tx2, rx2] = oneshot.channel<string>();
  tx2.send("awaited");
  rx2.close();
  console.log(await rx2);
}`);
    expect(run.lines).toEqual(['will receive', 'awaited']);
  });
});
