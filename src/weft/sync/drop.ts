/**
 * drop(x) — Rust's `std::mem::drop`: give up a value now. For a Sender this
 * may close its channel; for a guard it unlocks; for an Arc it lowers the
 * count. Plain data (an object, an array, a Map or a Set) is dropped as Rust
 * drops a struct, field by field: the handles in it that this thread owns
 * (a Sender, an Arc, a guard...) are dropped; copies it only borrows (read
 * from a lock) are left alone, as are numbers and strings.
 *
 * `drop` takes its argument by value, so in Rust dropping a value that was
 * moved away, or dropping it twice, does not compile ("use of moved value").
 * Here it throws at run time, naming the line of the move or of the first drop.
 */
import { className, context, lazyCallerLocation, type SourceLocation } from '../runtime/context.ts';
import { isPlainContainer } from './plain-data.ts';
import { DROP_OWNED, moveRecord, MovedValueError } from '../runtime/handle.ts';

/** Handles given to `drop`, and where (the call site is mapped only if a second drop needs it). */
const dropped = new WeakMap<object, () => SourceLocation | undefined>();

/** Thrown by a second `drop(x)` of the same handle. */
export class DroppedValueError extends Error {
  constructor(what: string, at: SourceLocation | undefined) {
    super(
      `use of dropped value: this ${what} was already dropped${at ? ` at line ${at.line}` : ''}. ` +
        'A value is dropped once (in Rust the second drop would not compile): remove one of the two drops.',
    );
    this.name = 'DroppedValueError';
  }
}

export function drop(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  const droppable = value as { drop?: unknown; unlock?: unknown; [Symbol.dispose]?: unknown };
  // Reading a method of a handle moved into a task throws "use of moved value" already (task/move.ts).
  const method =
    typeof droppable.drop === 'function' ? droppable.drop : typeof droppable.unlock === 'function' ? droppable.unlock : droppable[Symbol.dispose];
  if (typeof method !== 'function') {
    if (DROP_OWNED in value) {
      // A Mutex or RwLock: the one `new` made drops its value with it; a borrowed handle is left alone.
      const first = dropped.get(value);
      if (first !== undefined) throw new DroppedValueError(describe(value), first());
      if ((value as { [DROP_OWNED](): boolean })[DROP_OWNED]()) dropped.set(value, lazyCallerLocation());
      return;
    }
    dropFields(value, 0);
    return;
  }
  const moved = moveRecord(value);
  if (moved !== undefined) throw new MovedValueError(moved.what, moved.target);
  const first = dropped.get(value);
  if (first !== undefined) throw new DroppedValueError(describe(value), first());
  (method as () => void).call(value);
  dropped.set(value, lazyCallerLocation());
}

function describe(value: object): string {
  const name = className(value);
  return name && name !== 'Object' ? name : 'value';
}

/** Plain data given to `drop`: the handles in it that this thread owns are dropped (Rust drops a struct's fields). */
function dropFields(value: object, depth: number): void {
  if (depth > 64) return;
  const owned = context().owned;
  for (const item of itemsOf(value)) {
    if (typeof item !== 'object' || item === null) continue;
    if (owned.has(item as never)) {
      if (moveRecord(item) === undefined && !dropped.has(item)) drop(item);
    } else dropFields(item, depth + 1);
  }
}

/**
 * Drops a value a container owned, as Rust drops the values left in a
 * channel or a cell when it is dropped: a value with a drop (a guard, a
 * channel end, an Arc, anything with `[Symbol.dispose]`) is dropped, and the
 * items of an array or the fields of a plain object are looked at in turn
 * (a message `{ respondTo: oneshot.Sender }` drops its Sender). Plain data
 * needs nothing. A handle dropped already is left alone.
 */
export function dropOwned(value: unknown, depth = 0): void {
  if (typeof value !== 'object' || value === null || depth > 32) return;
  const droppable = value as { drop?: unknown; unlock?: unknown; [Symbol.dispose]?: unknown };
  if (typeof droppable.drop === 'function' || typeof droppable.unlock === 'function' || typeof droppable[Symbol.dispose] === 'function') {
    if (dropped.has(value) || moveRecord(value) !== undefined) return;
    drop(value);
    return;
  }
  for (const item of itemsOf(value)) dropOwned(item, depth + 1);
}

/** What plain data holds, for the two walks above: an array's items, a plain object's fields, a Map's keys and values, a Set's items; nothing for anything else. */
function itemsOf(value: object): unknown[] {
  return value instanceof Map ? [...value.keys(), ...value.values()] : value instanceof Set ? [...value] : isPlainContainer(value) ? Object.values(value) : [];
}
