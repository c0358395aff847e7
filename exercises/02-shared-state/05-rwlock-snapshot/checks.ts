import { check, count, plural, show, type CheckContext, type ProgramRun } from '#weft/checks';

/** Room for a busy grader: a seeded run switches threads at every synchronization point, and a loaded machine switches slowly. */
const LOADED_GRADER = { budgetMs: 120_000 };

const checksumOf = (version: number) => (version * 7919) % 10007;

/** Increasing versions the program can't know in advance. */
function someVersions(t: CheckContext, n: number): number[] {
  const versions: number[] = [];
  let v = 0;
  for (let i = 0; i < n; i++) versions.push((v += 1 + Math.floor(t.random() * 500)));
  return versions;
}

interface Store {
  pages: string[][];
  final: { version: number; checksum: number };
}

async function runStore(t: CheckContext, readers: number, pagesEach: number, versions: number[], request: { seed?: number; trace?: boolean }) {
  const run = await t.call('runStore', [readers, pagesEach, versions], { timeoutMs: 30_000, ...request }); // generous: a busy grader switches threads slowly
  const value = run.value as Partial<Store> | undefined;
  const ok =
    Array.isArray(value?.pages) &&
    value.pages.length === readers &&
    value.pages.every((list) => Array.isArray(list) && list.length === pagesEach && list.every((p) => typeof p === 'string')) &&
    typeof value.final?.version === 'number';
  if (!ok) run.fail(`runStore returned ${show(value)}; keep runStore as the starter has it`);
  return { run, store: value as Store };
}

const describe = (readers: number, versions: number[]) => `with ${plural(readers, 'reader')} rendering pages while versions ${versions.join(', ')} were published`;

export default [
  check('no-torn-pages', 'Every page shows a version with its own checksum', async (t) => {
    for (const [i, seed] of t.seeds(3).entries()) {
      const versions = someVersions(t, 4);
      const { run, store } = await runStore(t, 3, 4, versions, { seed, trace: i === 0 });
      if (i === 0) {
        // The store itself must never hold a torn pair, whatever the readers do with it: the writer (runStore's
        // last thread) takes the lock once per version, so both fields change under one write guard.
        const writer = run.trace.spawned().at(-1)?.threadId;
        const writes = run.trace.locks().filter((e) => e.threadId === writer);
        if (writes.length > versions.length) {
          run.fail(
            `${describe(3, versions)}, the writer took the configuration's lock ${plural(writes.length, 'time')} to publish ${plural(versions.length, 'version')}: ` +
              `between two of those guards the store held a version with the wrong checksum, whether or not a page showed it. ` +
              `publish must change both fields under one write guard`,
            writes[1]?.line === undefined ? undefined : { line: writes[1].line, column: 1 },
          );
        }
      }
      const known = new Set([0, ...versions]);
      for (const [r, pages] of store.pages.entries()) {
        let last = -1;
        for (const page of pages) {
          const match = /^v(\d+)#(\d+)$/.exec(page);
          if (match === null) {
            run.fail(`${describe(3, versions)}, reader ${r} rendered ${show(page)}: keep render as it is`);
            continue;
          }
          const version = Number(match[1]);
          const checksum = Number(match[2]);
          if (!known.has(version) || checksum !== checksumOf(version)) {
            const owner = [0, ...versions].find((v) => checksumOf(v) === checksum);
            run.fail(
              `${describe(3, versions)}, reader ${r} rendered the page ${show(page)}: version ${count(version)} with ` +
                (owner === undefined ? 'a checksum that belongs to no version' : `the checksum of version ${count(owner)}`) +
                `. A reader saw the configuration half updated. The writer must change both fields under one write guard, and a reader must read both under one read guard`,
            );
          }
          if (version < last) run.fail(`${describe(3, versions)}, reader ${r} saw version ${count(last)} and then the older version ${count(version)}`);
          last = version;
        }
      }
      const lastVersion = versions.at(-1)!;
      if (store.final.version !== lastVersion || store.final.checksum !== checksumOf(lastVersion)) {
        run.fail(`${describe(3, versions)}, the configuration ended as ${show(store.final)}, not version ${count(lastVersion)} with its checksum`);
      }
    }
  }, LOADED_GRADER),

  check('threads-read-and-publish', 'Reader threads render every page with readPage while a writer thread publishes every version', async (t) => {
    // runStore is the bench: rewritten to make up the pages without threads, nothing is ever read while it is being
    // written. The trace records every call of readPage and publish and its thread.
    const versions = someVersions(t, 3);
    const [readers, pagesEach] = [3, 2];
    const [seed] = t.seeds(1);
    const { run } = await runStore(t, readers, pagesEach, versions, { seed, trace: true });
    const spawned = new Set(run.trace.spawned().map((s) => s.threadId));
    for (const [name, wanted] of [['readPage', readers * pagesEach], ['publish', versions.length]] as const) {
      const calls = run.trace.calls(name);
      const onThreads = calls.filter((c) => spawned.has(c.threadId)).length;
      if (onThreads !== wanted || calls.length !== onThreads) {
        run.fail(
          `${describe(readers, versions)}, ${name} was called ${plural(onThreads, 'time')} on spawned threads` +
            (calls.length > onThreads ? ` and ${plural(calls.length - onThreads, 'time')} on main` : '') +
            `, not ${count(wanted)}: keep runStore as the starter has it, with reader threads that call readPage for every page and a writer thread that calls publish for every version`,
        );
      }
    }
  }, LOADED_GRADER),

  check('readers-share', 'Readers never keep each other out', async (t) => {
    const versions = someVersions(t, 2);
    let slowAlone = 0;
    for (const seed of t.seeds(2)) {
      const { run } = await runStore(t, 3, 2, versions, { seed, trace: true });
      // Every spawned thread: the writer sleeps between versions holding no lock, so only the readers' renders count below.
      const readers = new Set(run.trace.spawned().map((s) => s.threadId));
      // Which lock each reader held while it rendered (render's sleep).
      const held = new Map<number, Set<number>>();
      const renderedUnder = new Set<number>();
      for (const e of run.trace.events) {
        if (!readers.has(e.threadId)) continue;
        let mine = held.get(e.threadId);
        if (mine === undefined) held.set(e.threadId, (mine = new Set()));
        if (e.kind === 'lock') mine.add(e.object);
        else if (e.kind === 'unlock') mine.delete(e.object);
        else if (e.kind === 'block' && e.object === 0) for (const lock of mine) renderedUnder.add(lock);
      }
      // Rendering without any lock held is fine; rendering under a lock is fine only if other readers could hold it too.
      if (renderedUnder.size === 0 || [...renderedUnder].some((lock) => run.trace.mostHoldingAtOnce(lock) >= 2)) return;
      slowAlone++;
    }
    t.fail(
      `in ${plural(slowAlone, 'schedule')}, the readers rendered their pages while holding the configuration's lock, and never two at a time: ` +
        `each reader kept the others out, as with a Mutex. Readers only look, so they can share: take store.read(), not store.write()`,
    );
  }, LOADED_GRADER),
];
