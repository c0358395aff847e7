/**
 * Helpers the Tokio ports share (program text, added to each program):
 * tokio_test's poll-once-then-drop, a future that never finishes, a Result
 * from an await, and a way to let every other task run.
 */
export const TOKIO_HELPERS = `
/** A future that is ready the first time it is polled. */
function readyNow(): Awaitable<void> {
  return { poll: () => Poll.ready(undefined) } as unknown as Awaitable<void>;
}
/** A future that never finishes (futures::future::pending). */
function pending(): Awaitable<never> {
  return { poll: () => Poll.pending(), describe: () => "a future that never finishes" } as unknown as Awaitable<never>;
}
/** tokio_test's spawn(f).poll(): polls \`f\` once, then drops it. */
async function pollOnce<T>(f: Awaitable<T>): Promise<{ ready: boolean; value?: T; error?: unknown }> {
  try {
    const r = await select({ f, now: readyNow() }, { biased: true });
    return r.key === "f" ? { ready: true, value: r.value as T } : { ready: false };
  } catch (error) {
    return { ready: true, error };
  }
}
/** Awaits \`f\`, giving back what it throws instead of throwing (Rust's Result). */
async function result<T>(f: Awaitable<T>): Promise<{ ok: boolean; value?: T; error?: unknown }> {
  try {
    return { ok: true, value: await f };
  } catch (error) {
    return { ok: false, error };
  }
}
/** Lets every other task run until they all wait. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await yieldNow();
}
`;
