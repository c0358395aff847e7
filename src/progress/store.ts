/**
 * The reader's progress and drafts in IndexedDB (the browser side of
 * schema.ts). The database's version is SCHEMA_VERSION; opening an older
 * one reads every record out, runs schema.ts's migrations over them, and
 * writes them back into the new stores, inside the upgrade transaction.
 *
 * Every change is announced (onProgressChange) on this page and, through a
 * BroadcastChannel, in the book's other tabs, so a sidebar counts an
 * exercise solved the moment it is.
 *
 * Storage can be missing or refused (some private modes): every call then
 * rejects, and callers say so in the reader's terms (the book still works,
 * it just cannot remember).
 */
import {
  currentStores,
  emptyProgress,
  mergeSnapshots,
  migrate,
  SCHEMA_VERSION,
  type Draft,
  type ExerciseProgress,
  type Snapshot,
  type StoreRecords,
} from './schema.ts';

const DB_NAME = 'weft-progress';

/** A storage problem the reader can do something about; its message is a clause for them. */
export class StorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageError';
  }
}
const CHANGE_EVENT = 'weft-progress-change';

let opening: Promise<IDBDatabase> | undefined;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    if (typeof indexedDB === 'undefined') throw new Error('this browser has no IndexedDB');
    const request = indexedDB.open(DB_NAME, SCHEMA_VERSION);
    request.onupgradeneeded = (event) => upgrade(request.result, request.transaction!, event.oldVersion);
    request.onsuccess = () => {
      const db = request.result;
      // Another tab opened a newer book: let it upgrade, and open afresh next time.
      db.onversionchange = () => {
        db.close();
        opening = undefined;
      };
      resolve(db);
    };
    request.onerror = () => {
      // A newer book (a later deployment, in another tab) upgraded the database past this page's version.
      if (request.error?.name === 'VersionError') reject(new StorageError('your progress was saved by a newer version of the book: reload the page to get it'));
      else reject(request.error ?? new Error('IndexedDB refused to open'));
    };
    request.onblocked = () => reject(new StorageError('another tab of the book holds an older copy of your progress open: close it, then reload this page'));
  }).catch((error: unknown) => {
    opening = undefined;
    throw error;
  });
  return opening;
}

/** Reads every old store, migrates the records (schema.ts), recreates the stores and writes the records back. */
function upgrade(db: IDBDatabase, transaction: IDBTransaction, oldVersion: number): void {
  const names = [...db.objectStoreNames];
  const old: StoreRecords = {};
  let pending = names.length;
  const rebuild = () => {
    const records = migrate(old, oldVersion);
    for (const name of names) db.deleteObjectStore(name);
    for (const spec of currentStores()) {
      const store = db.createObjectStore(spec.name, { keyPath: spec.keyPath });
      for (const value of records[spec.name] ?? []) store.put(value);
    }
  };
  if (pending === 0) return rebuild();
  for (const name of names) {
    const request = transaction.objectStore(name).getAll();
    request.onsuccess = () => {
      old[name] = request.result;
      if (--pending === 0) rebuild();
    };
  }
}

function settle<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error ?? new Error('the progress database aborted a write'));
  });
}

async function get<T>(store: 'exercises' | 'drafts', id: string): Promise<T | undefined> {
  const db = await open();
  return settle(db.transaction(store).objectStore(store).get(id)) as Promise<T | undefined>;
}

async function getAll<T>(store: 'exercises' | 'drafts'): Promise<T[]> {
  const db = await open();
  return settle(db.transaction(store).objectStore(store).getAll()) as Promise<T[]>;
}

// ---- Progress ----

/** Every exercise the reader has touched, by id. */
export async function readAllProgress(): Promise<Map<string, ExerciseProgress>> {
  return new Map((await getAll<ExerciseProgress>('exercises')).map((p) => [p.id, p]));
}

export async function readProgress(id: string): Promise<ExerciseProgress> {
  return (await get<ExerciseProgress>('exercises', id)) ?? emptyProgress(id);
}

/** Applies `change` (one of schema.ts's updates) to an exercise's record in one transaction, and announces it. */
export async function updateProgress(id: string, change: (progress: ExerciseProgress) => ExerciseProgress): Promise<ExerciseProgress> {
  const db = await open();
  const transaction = db.transaction('exercises', 'readwrite');
  const store = transaction.objectStore('exercises');
  const current = ((await settle(store.get(id))) as ExerciseProgress | undefined) ?? emptyProgress(id);
  const next = change(current);
  store.put(next);
  await done(transaction);
  announce([id]);
  return next;
}

// ---- Drafts ----

export function readDraft(id: string): Promise<Draft | undefined> {
  return get<Draft>('drafts', id);
}

export async function saveDraft(id: string, source: string): Promise<void> {
  const db = await open();
  const transaction = db.transaction('drafts', 'readwrite');
  transaction.objectStore('drafts').put({ id, source, savedAt: Date.now() } satisfies Draft);
  // Commit now rather than when the page's task ends: a save made as the page is hidden or unloaded (pagehide) must not wait for a turn it may not get.
  transaction.commit?.();
  await done(transaction);
}

export async function deleteDraft(id: string): Promise<void> {
  const db = await open();
  const transaction = db.transaction('drafts', 'readwrite');
  transaction.objectStore('drafts').delete(id);
  await done(transaction);
}

// ---- Everything at once: export and import ----

export async function readSnapshot(): Promise<Snapshot> {
  const [exercises, drafts] = await Promise.all([getAll<ExerciseProgress>('exercises'), getAll<Draft>('drafts')]);
  return { exercises, drafts };
}

/** Merges an imported snapshot into what is stored (schema.ts, mergeSnapshots): nothing newer is lost. */
export async function importSnapshot(incoming: Snapshot): Promise<void> {
  const db = await open();
  const transaction = db.transaction(['exercises', 'drafts'], 'readwrite');
  const exercises = transaction.objectStore('exercises');
  const drafts = transaction.objectStore('drafts');
  const stored: Snapshot = {
    exercises: (await settle(exercises.getAll())) as ExerciseProgress[],
    drafts: (await settle(drafts.getAll())) as Draft[],
  };
  const merged = mergeSnapshots(stored, incoming);
  for (const p of merged.exercises) exercises.put(p);
  for (const d of merged.drafts) drafts.put(d);
  await done(transaction);
  announce(incoming.exercises.map((p) => p.id));
}

// ---- Change notifications ----

const channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(CHANGE_EVENT);
const local = new EventTarget();
channel?.addEventListener('message', (event: MessageEvent<string[]>) => local.dispatchEvent(new CustomEvent(CHANGE_EVENT, { detail: event.data })));

function announce(ids: string[]): void {
  local.dispatchEvent(new CustomEvent(CHANGE_EVENT, { detail: ids }));
  channel?.postMessage(ids);
}

/** Calls `listener` with the ids of exercises whose progress changed, here or in another tab; returns the unsubscribe. */
export function onProgressChange(listener: (ids: string[]) => void): () => void {
  const handler = (event: Event) => listener((event as CustomEvent<string[]>).detail);
  local.addEventListener(CHANGE_EVENT, handler);
  return () => local.removeEventListener(CHANGE_EVENT, handler);
}
