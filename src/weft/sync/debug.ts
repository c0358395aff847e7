/**
 * Rust's Debug for std's locks (`Mutex { data: 7, poisoned: false, .. }`):
 * the value as a `try_lock` (or `try_read`) sees it, `<locked>` when the lock
 * is held, poisoned or not. https://doc.rust-lang.org/src/std/sync/poison/mutex.rs.html
 * (impl Debug for Mutex). Like Rust's, it takes the lock for a moment, so the
 * trace and a seeded run see a try-lock.
 */
import { PoisonError } from './errors.ts';

/** Printed as it is, not quoted: Rust's `format_args!("<locked>")`. */
class Placeholder {
  readonly #text: string;
  constructor(text: string) {
    this.#text = text;
  }
  toString(): string {
    return this.#text;
  }
}

const LOCKED = new Placeholder('<locked>');

/** The value `take` (a try-lock) gives, read and released at once; `<locked>` when the lock is held. */
export function debugData(take: () => { readonly value: unknown; unlock(): void } | undefined): unknown {
  let guard: { readonly value: unknown; unlock(): void } | undefined;
  try {
    guard = take();
  } catch (error) {
    if (!(error instanceof PoisonError)) throw error;
    guard = error.intoInner() as { readonly value: unknown; unlock(): void };
  }
  if (guard === undefined) return LOCKED;
  try {
    return guard.value;
  } finally {
    guard.unlock();
  }
}
