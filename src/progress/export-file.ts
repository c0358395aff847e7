/**
 * The progress export file: a Snapshot (schema.ts) with a header saying
 * what it is and which schema version wrote it. Browsers may evict a
 * site's storage, so the progress page offers this file as a backup.
 *
 *   { "format": "weft-progress", "version": 1, "exportedAt": "2025-…",
 *     "exercises": [{ "id": "shared-counter", "attempts": 3, … }],
 *     "drafts": [{ "id": "shared-counter", "source": "…", "savedAt": 1767… }] }
 *
 * Reading one back checks every field and says, in a sentence a reader can
 * act on, what is wrong with a file that is not right. Pure: no DOM, no
 * IndexedDB (tests/unit/progress/schema.test.ts).
 *
 * The one format of progress for the page and the CLI: the page's "Export
 * progress" and the CLI's `learn/progress.json` and `weft export` write it,
 * and parseExportFile reads it for the page's "Import progress" and for
 * every CLI command. It also reads the file an older CLI wrote (fromOldCliFile
 * below), so that progress imports on either side too.
 */
import { SLUG } from '../exercises/ids.ts';
import { migrate, NewerVersionError, SCHEMA_VERSION, type Draft, type ExerciseProgress, type Snapshot } from './schema.ts';

export const EXPORT_FORMAT = 'weft-progress';

export interface ExportFile extends Snapshot {
  format: typeof EXPORT_FORMAT;
  version: number;
  /** When it was written (ISO 8601), for the reader's own bookkeeping. */
  exportedAt: string;
}

export function toExportFile(snapshot: Snapshot, now: Date = new Date()): ExportFile {
  const byId = <T extends { id: string }>(records: T[]) => [...records].sort((a, b) => a.id.localeCompare(b.id));
  return { format: EXPORT_FORMAT, version: SCHEMA_VERSION, exportedAt: now.toISOString(), exercises: byId(snapshot.exercises), drafts: byId(snapshot.drafts) };
}

/** The file name the progress page suggests: `weft-progress-2025-06-01.json`. */
export function exportFileName(now: Date = new Date()): string {
  return `weft-progress-${now.toISOString().slice(0, 10)}.json`;
}

/** What is wrong with a file that cannot be imported, as one sentence for the reader. */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

/** A file's content, checked and brought to the current schema; throws ImportError saying what is wrong. */
export function parseExportFile(text: string): Snapshot {
  if (text.trim() === '') throw new ImportError('The file is empty.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ImportError(`The file is not valid JSON (${(error as Error).message}). Was it changed by hand, or cut short?`);
  }
  const old = fromOldCliFile(value);
  if (old !== undefined) return old;
  if (!isObject(value) || value.format !== EXPORT_FORMAT) {
    throw new ImportError(
      `This is not a Weft progress file: it has no "format": "${EXPORT_FORMAT}" field. Choose a file made by "Export progress".`,
    );
  }
  const version = value.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ImportError(`The file's "version" must be a whole number, 1 or more (it is ${describe(version)}).`);
  }
  let records: Record<string, unknown[]>;
  try {
    const stores = { exercises: value.exercises, drafts: value.drafts } as Record<string, unknown[]>;
    records = migrate(stores, version);
  } catch (error) {
    if (error instanceof NewerVersionError) {
      throw new ImportError(`This file can't be imported: ${error.message}. Reload the book to get its newest version, then import again.`);
    }
    throw error;
  }
  const exercises = list(records.exercises, 'exercises').map((record, i) => exerciseProgress(record, `exercises[${i}]`));
  const drafts = list(records.drafts, 'drafts').map((record, i) => draft(record, `drafts[${i}]`));
  unique(exercises, 'exercises');
  unique(drafts, 'drafts');
  return { exercises, drafts };
}

type Json = Record<string, unknown>;

/**
 * The file an older CLI wrote as learn/progress.json, read as a snapshot:
 * `{ "version": 1, "exercises": { "<id>": { "passed"?: ISO time, "attempts", "hintsShown" } } }`
 * (no "format" field; exercises keyed by id). Undefined when `value` is not one.
 */
function fromOldCliFile(value: unknown): Snapshot | undefined {
  if (!isObject(value) || value.format !== undefined || value.version !== 1 || !isObject(value.exercises)) return undefined;
  const exercises = Object.entries(value.exercises).map(([key, entry]) => {
    const where = `exercises.${key}`;
    const r = record(entry, where, ['passed', 'attempts', 'hintsShown']);
    const passedAt = typeof r.passed === 'string' ? Date.parse(r.passed) : NaN;
    return exerciseProgress(
      { id: key, attempts: r.attempts ?? 0, hintsShown: r.hintsShown ?? 0, ...(Number.isFinite(passedAt) ? { passedAt, lastResult: 'passed' } : {}) },
      where,
    );
  });
  return { exercises, drafts: [] };
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const json = JSON.stringify(value);
  return json.length > 40 ? `${json.slice(0, 37)}…` : json;
}

function problem(where: string, what: string, value: unknown): never {
  throw new ImportError(`In the file, ${where} ${what} (it is ${describe(value)}).`);
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) problem(`"${where}"`, 'must be a list', value);
  return value;
}

function record(value: unknown, where: string, fields: readonly string[]): Json {
  if (!isObject(value)) problem(where, 'must be an object', value);
  for (const key of Object.keys(value)) {
    if (!fields.includes(key)) problem(`${where}.${key}`, `is not a field this book knows (it knows ${fields.join(', ')})`, value[key]);
  }
  return value;
}

function id(value: Json, where: string): string {
  if (typeof value.id !== 'string' || !SLUG.test(value.id)) {
    problem(`${where}.id`, "must be an exercise's id, like \"shared-counter\"", value.id);
  }
  return value.id;
}

function count(value: Json, field: string, where: string): number {
  const n = value[field];
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) problem(`${where}.${field}`, 'must be a whole number, 0 or more', n);
  return n;
}

function time(value: Json, field: string, where: string): number | undefined {
  const t = value[field];
  if (t === undefined) return undefined;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) problem(`${where}.${field}`, 'must be a time in milliseconds since 1970', t);
  return t;
}

const PROGRESS_FIELDS = ['id', 'attempts', 'firstAttemptAt', 'lastAttemptAt', 'passedAt', 'lastResult', 'hintsShown', 'solutionRevealedAt'] as const;

function exerciseProgress(value: unknown, where: string): ExerciseProgress {
  const r = record(value, where, PROGRESS_FIELDS);
  const lastResult = r.lastResult;
  if (lastResult !== undefined && lastResult !== 'passed' && lastResult !== 'failed') problem(`${where}.lastResult`, 'must be "passed" or "failed"', lastResult);
  const progress: ExerciseProgress = { id: id(r, where), attempts: count(r, 'attempts', where), hintsShown: count(r, 'hintsShown', where) };
  for (const field of ['firstAttemptAt', 'lastAttemptAt', 'passedAt', 'solutionRevealedAt'] as const) {
    const t = time(r, field, where);
    if (t !== undefined) progress[field] = t;
  }
  if (lastResult !== undefined) progress.lastResult = lastResult;
  return progress;
}

function draft(value: unknown, where: string): Draft {
  const r = record(value, where, ['id', 'source', 'savedAt']);
  if (typeof r.source !== 'string') problem(`${where}.source`, 'must be the code, as a string', r.source);
  const savedAt = time(r, 'savedAt', where);
  if (savedAt === undefined) problem(`${where}.savedAt`, 'must be a time in milliseconds since 1970', r.savedAt);
  return { id: id(r, where), source: r.source, savedAt };
}

function unique(records: { id: string }[], where: string): void {
  const seen = new Set<string>();
  for (const r of records) {
    if (seen.has(r.id)) throw new ImportError(`In the file, "${where}" lists "${r.id}" twice.`);
    seen.add(r.id);
  }
}
