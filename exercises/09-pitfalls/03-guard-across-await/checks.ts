import { check, count, plural, sameData, show, type CheckContext, type ProgramRun } from '#weft/checks';

interface Bench {
  users: string[];
  ms: Record<string, number>;
  cached: [string, string][];
}

const NAMES = ['ada', 'bob', 'cy', 'dee', 'eve', 'fay', 'gus', 'hal', 'ivy', 'jo', 'kai', 'lu'];

/** Four users to fetch (one of them looked up twice) and one already cached, with fetch times of the check's choosing, in a shuffled order. */
function someBench(t: CheckContext): Bench {
  const names = [...NAMES].sort(() => t.random() - 0.5).slice(0, 5);
  const ms: Record<string, number> = {};
  for (const name of names) ms[name] = 10 * (2 + Math.floor(t.random() * 9));
  const hit = names[4]!;
  const users = [...names.slice(0, 4), names[0]!, hit].sort(() => t.random() - 0.5);
  return { users, ms, cached: [[hit, `cached profile of ${hit}`]] };
}

const expectedProfile = (b: Bench, user: string) => b.cached.find(([u]) => u === user)?.[1] ?? `profile of ${user}`;

function resultOf(run: ProgramRun): { profiles: unknown[]; cache: unknown[] } {
  if (run.status === 'panic') {
    const again = run.errors.find((e) => /already holds this Mutex/.test(e.message));
    run.failEnded(
      again
        ? `a lookup locked the cache${again.location ? ` (line ${again.location.line})` : ''} while a guard of it was still held on this thread. ` +
            `All the tasks share one thread, so that lock() would wait for its own thread forever. Either a lookup kept its guard across an await ` +
            `(end the guard's block before you await), or a guard was never released: a guard not bound with \`using\` (or unlock()ed) stays held, ` +
            `as JavaScript does not drop a temporary at the end of its statement the way Rust does`
        : `runLookups panicked: ${run.errors[0]?.message ?? run.summary}`,
      again?.location,
    );
  }
  if (run.status !== 'ok') run.failEnded(`runLookups did not return: ${run.summary}`);
  const value = run.value as { profiles?: unknown; cache?: unknown } | undefined;
  if (!Array.isArray(value?.profiles) || !Array.isArray(value.cache)) {
    run.fail(`runLookups returned ${show(value)}: keep the test bench (runLookups) as it is, returning { profiles, cache }`);
  }
  return value as { profiles: unknown[]; cache: unknown[] };
}

const runLookups = (t: CheckContext, b: Bench, request: { seed?: number; trace?: boolean }) =>
  t.call('runLookups', [b.users, b.ms, b.cached], { timeoutMs: 20_000, mayFail: true, ...request });

export default [
  check('right-profiles', 'Every lookup returns the profile, from the cache when it is there, and the cache keeps every profile', async (t) => {
    for (const seed of [...t.seeds(2), undefined]) {
      const b = someBench(t);
      const run = await runLookups(t, b, seed === undefined ? {} : { seed });
      const { profiles, cache } = resultOf(run);
      b.users.forEach((user, i) => {
        const expected = expectedProfile(b, user);
        if (profiles[i] === expected) return;
        run.fail(
          `looking up ${show(user)} returned ${show(profiles[i])}, expected ${show(expected)}` +
            (b.cached.some(([u]) => u === user) ? `: ${show(user)} was in the cache already, so the lookup returns what the cache holds` : ''),
        );
      });
      const expectedCache = [...new Set(b.users)].map((u) => [u, expectedProfile(b, u)]).sort();
      if (!sameData(cache, expectedCache)) {
        run.fail(`after looking up ${show(b.users)}, the cache held ${show(cache)}, expected ${show(expectedCache)}: keep every fetched profile in the cache`);
      }
    }
  }),

  check('no-guard-across-await', 'No lookup holds the cache\'s guard across an await', async (t) => {
    // One lookup alone: nobody else wants the lock, so nothing panics, but the guard still crosses the await.
    const b = someBench(t);
    const single: Bench = { users: [b.users.find((u) => !b.cached.some(([c]) => c === u))!], ms: b.ms, cached: [] };
    const run = await runLookups(t, single, { seed: t.seeds(1)[0]!, trace: true });
    resultOf(run);
    const held = run.trace.locksHeldAcrossAwait();
    if (held.length === 0) return;
    run.fail(
      `looking up ${show(single.users[0])} alone, the lookup's task stopped at an await while the cache's guard was still held. ` +
        `Alone it gets away with it; with a second lookup on the thread, that one's lock() can never succeed. Take what you need, end the guard's block, then await`,
    );
  }),

  check('lookups-overlap', 'Lookups run at the same time: each ends when its own fetch does', async (t) => {
    const b = someBench(t);
    const run = await runLookups(t, b, { seed: t.seeds(1)[0]!, trace: true });
    resultOf(run);
    // The bench's lookup tasks are the first ones spawned (task 0 is main).
    const tasks = run.trace.tasks().filter((task) => task.id >= 1 && task.id <= b.users.length);
    if (tasks.length !== b.users.length) {
      run.fail(`runLookups ran ${plural(tasks.length, 'task')} for ${plural(b.users.length, 'lookup')}: keep the test bench as it is`);
    }
    const total = [...new Set(b.users)].filter((u) => !b.cached.some(([c]) => c === u)).reduce((sum, u) => sum + b.ms[u]!, 0);
    // A profile not in the cache comes from the service: fetchProfile is called for it (the trace records calls of
    // top-level async functions). Sleeping as long and writing the profile's text out asks nobody.
    const misses = b.users.filter((u) => !b.cached.some(([c]) => c === u)).length;
    const fetched = run.trace.calls('fetchProfile').length;
    if (fetched < new Set(b.users.filter((u) => !b.cached.some(([c]) => c === u))).size) {
      run.fail(
        `for ${plural(misses, 'lookup')} of users not in the cache, fetchProfile was called ${plural(fetched, 'time')}: ` +
          `a profile that isn't in the cache must come from fetchProfile(user, ms), which you keep as it is, not be made up with the same text`,
      );
    }
    b.users.forEach((user, i) => {
      const cached = b.cached.some(([c]) => c === user);
      const expected = cached ? 0 : b.ms[user]!;
      const ended = tasks.find((task) => task.id === i + 1)?.exitedAtMs;
      if (ended === expected) return;
      run.fail(
        cached && ended === b.ms[user]
          ? `looking up ${show(user)}, which is in the cache, ended at ${count(ended)} ms, as long as fetching it takes: it fetched the profile anyway. ` +
              `Look in the cache first, and return the cached profile at once, without a fetch`
          : ended !== undefined && ended > expected
          ? `looking up ${show(user)}, ${cached ? 'which is in the cache' : `whose fetch takes ${expected} ms`}, ended at ${count(ended)} ms: it waited for other lookups. ` +
              `${plural(b.users.length, 'lookup')} at once should take as long as the slowest fetch, not ${count(total)} ms one after another: ` +
              `hold a lock only to read and to update the cache, never across the fetch`
          : ended !== undefined && ended < expected
            ? `looking up ${show(user)} ended at ${count(ended)} ms, but fetching its profile takes ${expected} ms: ` +
                `a profile that isn't in the cache must be fetched with fetchProfile, which you keep as it is`
            : `the lookup of ${show(user)} never ended`,
      );
    });
  }),
];
