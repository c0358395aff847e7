/**
 * drop(x) — Rust's `std::mem::drop`: give up a value now. For a Sender this
 * may close its channel; for a guard it unlocks; for an Arc it lowers the
 * count. Plain data needs no dropping; passing it is harmless.
 */
export function drop(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  const droppable = value as { drop?: unknown; unlock?: unknown; [Symbol.dispose]?: unknown };
  if (typeof droppable.drop === 'function') (droppable.drop as () => void)();
  else if (typeof droppable.unlock === 'function') (droppable.unlock as () => void)();
  else if (typeof droppable[Symbol.dispose] === 'function') (droppable[Symbol.dispose] as () => void)();
}
