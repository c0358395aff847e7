/**
 * What the book remembers about a reader's exercises, as plain records:
 * the schema, its version, the migrations between versions, and the pure
 * updates the page makes. No DOM and no IndexedDB here (store.ts does the
 * storing), so all of it is tested in Node (tests/unit/progress/schema.test.ts).
 *
 * The same data travels in three forms: the IndexedDB database, whose
 * version is SCHEMA_VERSION; a Snapshot (every store's records, read out
 * whole); and an export file (export-file.ts), which is a snapshot with a
 * header. An upgrade of the database and the import of a file written by
 * an older book run the same migrations, so an old backup always imports.
 */

/**
 * The schema's version: the IndexedDB database's version, and the `version`
 * of export files. Raise it by one with every change to the records below,
 * and append the migration that gets there to MIGRATIONS.
 */
export const SCHEMA_VERSION = 1;

/** One exercise, as far as the reader has got with it. Store `exercises`, key `id`. */
export interface ExerciseProgress {
  /** The exercise's id (its folder's slug, `shared-counter`): unique across the book. */
  id: string;
  /** How many times the reader pressed Check. */
  attempts: number;
  /** When Check was first pressed (ms since 1970), so the progress page can say how long the reader has been at it. */
  firstAttemptAt?: number;
  /** When Check was last pressed (ms since 1970). */
  lastAttemptAt?: number;
  /** The first time every check passed (ms since 1970). Set once: failing later does not un-solve an exercise. */
  passedAt?: number;
  /** What the last Check said, so the page can show "last check failed" on a solved exercise the reader broke again. */
  lastResult?: 'passed' | 'failed';
  /** How many of the exercise's hints the reader has revealed (they are revealed in order). */
  hintsShown: number;
  /** When the reader chose to see the reference solution (ms since 1970), if they did. */
  solutionRevealedAt?: number;
}

/** The reader's code for one exercise, saved as they type. Store `drafts`, key `id`. */
export interface Draft {
  /** The exercise's id. */
  id: string;
  source: string;
  /** When it was saved (ms since 1970): on import, the newer of two drafts wins. */
  savedAt: number;
}

/** Every store's records, by store name: what a migration reads and writes. */
export type StoreRecords = Record<string, unknown[]>;

/** The database's whole content at SCHEMA_VERSION. */
export interface Snapshot {
  exercises: ExerciseProgress[];
  drafts: Draft[];
}

/** An object store of the database: its name and the record field that is its key. */
export interface StoreSpec {
  name: string;
  keyPath: string;
}

/**
 * One step up: the stores of version `to` and how the records of version
 * `to - 1` become records of version `to`. A pure function over plain
 * records, so the same step serves the database's upgrade and an old file's
 * import, and a test can feed it any records it likes.
 */
export interface Migration {
  to: number;
  stores: StoreSpec[];
  migrate(records: StoreRecords): StoreRecords;
}

/** MIGRATIONS[i] takes version i to version i + 1. Version 0 is "no database yet". */
export const MIGRATIONS: readonly Migration[] = [
  {
    to: 1,
    stores: [
      { name: 'exercises', keyPath: 'id' },
      { name: 'drafts', keyPath: 'id' },
    ],
    migrate: () => ({ exercises: [], drafts: [] }),
  },
];

/** The stores of the current version. */
export function currentStores(migrations: readonly Migration[] = MIGRATIONS): StoreSpec[] {
  return migrations.at(-1)?.stores ?? [];
}

/** Thrown when records come from a newer book than this one: they cannot be read without losing something. */
export class NewerVersionError extends Error {
  readonly version: number;
  constructor(version: number, supported: number) {
    super(`it was written by a newer version of the book (progress format ${version}; this book reads format ${supported} and older)`);
    this.name = 'NewerVersionError';
    this.version = version;
  }
}

/**
 * Takes records of version `from` to version `to`, one migration at a
 * time. `from === to` returns them as they are; a `from` above what the
 * migrations know throws NewerVersionError.
 */
export function migrate(
  records: StoreRecords,
  from: number,
  to: number = SCHEMA_VERSION,
  migrations: readonly Migration[] = MIGRATIONS,
): StoreRecords {
  if (!Number.isInteger(from) || from < 0) throw new Error(`a schema version is a whole number, 0 or more (got ${String(from)})`);
  if (from > migrations.length) throw new NewerVersionError(from, migrations.length);
  if (to > migrations.length) throw new Error(`there is no migration to version ${to} (the newest is ${migrations.length})`);
  if (from > to) throw new Error(`cannot migrate down, from version ${from} to ${to}`);
  let current = records;
  for (let version = from; version < to; version++) {
    const step = migrations[version]!;
    if (step.to !== version + 1) throw new Error(`MIGRATIONS[${version}] must lead to version ${version + 1}, not ${step.to}`);
    current = step.migrate(current);
  }
  return current;
}

// ---- The updates the page makes, as pure functions of a record and the time. ----

/** A record for an exercise the reader has not touched. */
export function emptyProgress(id: string): ExerciseProgress {
  return { id, attempts: 0, hintsShown: 0 };
}

/** The reader pressed Check at `now`. */
export function withAttempt(progress: ExerciseProgress, now: number): ExerciseProgress {
  return { ...progress, attempts: progress.attempts + 1, firstAttemptAt: progress.firstAttemptAt ?? now, lastAttemptAt: now };
}

/** A Check finished at `now`: every check passed, or not. */
export function withResult(progress: ExerciseProgress, passed: boolean, now: number): ExerciseProgress {
  return dropUndefined({ ...progress, lastResult: passed ? 'passed' : 'failed', passedAt: progress.passedAt ?? (passed ? now : undefined) });
}

/** The reader revealed hints up to the `shown`-th (hints never un-reveal). */
export function withHintsShown(progress: ExerciseProgress, shown: number): ExerciseProgress {
  return { ...progress, hintsShown: Math.max(progress.hintsShown, shown) };
}

/** The reader confirmed they want to see the solution, at `now`. */
export function withSolutionRevealed(progress: ExerciseProgress, now: number): ExerciseProgress {
  return { ...progress, solutionRevealedAt: progress.solutionRevealedAt ?? now };
}

/**
 * The exercise to go on with, by id: the first unsolved one after `after` in
 * the book's order (wrapping round to the start), or the first unsolved one
 * when there is no `after`; undefined once every exercise is solved. The
 * progress page, the end of an exercise and the CLI's `watch` all ask this.
 */
export function continueWith(order: readonly string[], progress: readonly ExerciseProgress[], after?: string): string | undefined {
  const solved = new Set(progress.filter((p) => p.passedAt !== undefined).map((p) => p.id));
  const start = after === undefined ? 0 : order.indexOf(after) + 1;
  return [...order.slice(start), ...order.slice(0, start)].find((id) => id !== after && !solved.has(id));
}

export type ExerciseStatus = 'solved' | 'attempted' | 'not-started';

export function statusOf(progress: ExerciseProgress | undefined): ExerciseStatus {
  if (progress?.passedAt !== undefined) return 'solved';
  return progress && (progress.attempts > 0 || progress.hintsShown > 0 || progress.solutionRevealedAt !== undefined) ? 'attempted' : 'not-started';
}

/**
 * Two records of one exercise made one, keeping what either knows: solved
 * if either solved (at the earlier time), the most attempts and hints, the
 * widest span of attempts. Importing a backup never loses newer progress.
 */
export function mergeProgress(a: ExerciseProgress, b: ExerciseProgress): ExerciseProgress {
  const earliest = (x?: number, y?: number) => (x === undefined ? y : y === undefined ? x : Math.min(x, y));
  const latest = (x?: number, y?: number) => (x === undefined ? y : y === undefined ? x : Math.max(x, y));
  const lastAttemptAt = latest(a.lastAttemptAt, b.lastAttemptAt);
  // The last result belongs to whichever record attempted last.
  const lastResult = (b.lastAttemptAt ?? -1) > (a.lastAttemptAt ?? -1) ? (b.lastResult ?? a.lastResult) : (a.lastResult ?? b.lastResult);
  return dropUndefined({
    id: a.id,
    attempts: Math.max(a.attempts, b.attempts),
    firstAttemptAt: earliest(a.firstAttemptAt, b.firstAttemptAt),
    lastAttemptAt,
    passedAt: earliest(a.passedAt, b.passedAt),
    lastResult,
    hintsShown: Math.max(a.hintsShown, b.hintsShown),
    solutionRevealedAt: earliest(a.solutionRevealedAt, b.solutionRevealedAt),
  });
}

/** Of two drafts of one exercise, the one saved last. */
export function newerDraft(a: Draft, b: Draft): Draft {
  return b.savedAt > a.savedAt ? b : a;
}

/** `incoming` merged into `stored`, record by record (mergeProgress, newerDraft). */
export function mergeSnapshots(stored: Snapshot, incoming: Snapshot): Snapshot {
  const exercises = new Map(stored.exercises.map((p) => [p.id, p]));
  for (const p of incoming.exercises) {
    const old = exercises.get(p.id);
    exercises.set(p.id, old ? mergeProgress(old, p) : p);
  }
  const drafts = new Map(stored.drafts.map((d) => [d.id, d]));
  for (const d of incoming.drafts) {
    const old = drafts.get(d.id);
    drafts.set(d.id, old ? newerDraft(old, d) : d);
  }
  return { exercises: [...exercises.values()], drafts: [...drafts.values()] };
}

/** IndexedDB stores `undefined` fields as present; plain records are easier to compare and export without them. */
function dropUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
