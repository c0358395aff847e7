import { check, count, plural, sameData, show, type CheckContext, type ProgramRun } from '#weft/checks';

interface Case {
  ids: number[];
  userMs: number[];
  ordersMs: number[];
  friendsMs: number[];
}

const ms = (t: CheckContext, lo: number, hi: number) => lo + 10 * Math.floor(t.random() * ((hi - lo) / 10 + 1));

/** `n` users the program can't know in advance; the first is the slowest, so finishing order is not the order of ids. */
function someUsers(t: CheckContext, n: number, noFriends = false): Case {
  const ids = new Set<number>();
  while (ids.size < n) ids.add(1 + Math.floor(t.random() * 99));
  const c: Case = { ids: [...ids], userMs: [], ordersMs: [], friendsMs: [] };
  for (let i = 0; i < n; i++) {
    c.userMs.push(i === 0 ? ms(t, 150, 200) : ms(t, 30, 120));
    c.ordersMs.push(ms(t, 40, 140));
    c.friendsMs.push(noFriends ? 0 : ms(t, 40, 140));
  }
  return c;
}

const line = (id: number) => `user-${id}: ${(id * 7) % 10} orders, ${(id * 3) % 10} friends`;

/** How long the page takes when each fetch waits only for what it needs: the slowest user's record plus its slower detail. */
const fastest = (c: Case) => Math.max(...c.ids.map((_, i) => c.userMs[i]! + Math.max(c.ordersMs[i]!, c.friendsMs[i]!)));
const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);

function elapsedMs(run: ProgramRun): number {
  // The called function's own task: the first task on main's executor (spawned by the runner, before any of the program's).
  const root = run.trace.tasks().find((task) => task.thread === 'main');
  if (root === undefined || root.exitedAtMs === undefined) {
    run.fail('profiles did not run as a task on the executor: keep it an `async function` that returns the lines');
  }
  return root.exitedAtMs - root.spawnedAtMs;
}

function linesOf(run: ProgramRun): string[] {
  if (!Array.isArray(run.value) || !run.value.every((l) => typeof l === 'string')) {
    run.fail(`profiles returned ${show(run.value)}, expected an array of profile lines (strings)`);
  }
  return run.value as string[];
}

const profiles = (t: CheckContext, c: Case, trace = false) =>
  t.call('profiles', [c.ids, c.userMs, c.ordersMs, c.friendsMs], { seed: t.seeds(1)[0]!, trace });

const latencies = (c: Case) =>
  c.ids.map((id, i) => `user-${id} ${c.userMs[i]}+${c.ordersMs[i]}/${c.friendsMs[i]}`).join(', ');

export default [
  check('right-lines-in-order', 'One line per user, in the order of ids', async (t) => {
    const c = someUsers(t, 4);
    const run = await profiles(t, c);
    const lines = linesOf(run);
    const expected = c.ids.map(line);
    if (sameData(lines, expected)) return;
    run.fail(
      sameData([...lines].sort(), [...expected].sort())
        ? `profiles returned the right lines in the wrong order, ${show(lines)}: they must follow ids, ${show(c.ids)}, not the order the users finished in`
        : `for ids ${show(c.ids)} profiles returned ${show(lines)}, expected ${show(expected)}`,
    );
  }),

  check('details-together', "A user's orders and friends are fetched at the same time", async (t) => {
    const c = someUsers(t, 1);
    const run = await profiles(t, c, true);
    const took = elapsedMs(run);
    const expected = fastest(c);
    if (took <= expected) return;
    const [u, o, f] = [c.userMs[0]!, c.ordersMs[0]!, c.friendsMs[0]!];
    run.fail(
      `for one user whose record takes ${u} ms, orders ${o} ms and friends ${f} ms, profiles took ${count(took)} ms` +
        (took === u + o + f ? ` (${u} + ${o} + ${f}: the orders and the friends waited for each other)` : '') +
        `; it should take ${count(expected)} ms: once the record is in, both need only the user, so join them`,
    );
  }),

  check('users-together', 'Different users are handled at the same time', async (t) => {
    // No friends to fetch here (0 ms), so only how the users are arranged matters.
    const c = someUsers(t, 3, true);
    const run = await profiles(t, c, true);
    const took = elapsedMs(run);
    const expected = fastest(c);
    if (took <= expected) return;
    const perUser = c.ids.map((_, i) => c.userMs[i]! + c.ordersMs[i]!);
    run.fail(
      `for 3 users taking ${show(perUser)} ms each, profiles took ${count(took)} ms` +
        (took === sum(perUser) ? ' (their sum: one user after another)' : '') +
        `; it should take ${count(expected)} ms, as long as the slowest user: no user needs another's data`,
    );
  }),

  check('details-wait-for-the-user', 'Orders and friends are fetched only once their user record is in', async (t) => {
    const c = someUsers(t, 3);
    const run = await profiles(t, c, true);
    const took = elapsedMs(run);
    const expected = fastest(c);
    if (took >= expected) {
      // Waiting once, as long as the slowest user, and writing the lines out takes as long, but fetches nothing:
      // every fetch ends at a moment of its own, and each such moment wakes a task.
      const moments = new Set(c.ids.flatMap((_, i) => [c.userMs[i]!, c.userMs[i]! + c.ordersMs[i]!, c.userMs[i]! + c.friendsMs[i]!])).size;
      const woken = run.trace.tasks().reduce((total, task) => total + task.wakes, 0);
      // And every fetch waits once, for its own latency: a fetch called with another latency (0, or one wait standing
      // for two fetches) keeps the total time but fetches on a timetable of its own.
      const fetches = 3 * c.ids.length;
      const waited = run.trace.tasks().reduce((total, task) => total + task.timers, 0);
      // The lines come from the backend: getUser, getOrders and getFriends are each called once a user (the trace
      // records calls of top-level async functions). Sleeping the latencies and writing the lines out asks nobody.
      const asked = ['getUser', 'getOrders', 'getFriends'].map((name) => ({ name, calls: run.trace.calls(name).length }));
      const unasked = asked.find((a) => a.calls < c.ids.length);
      if (woken >= moments && waited >= fetches && unasked !== undefined) {
        run.fail(
          `for ${c.ids.length} users, ${unasked.name} was called ${plural(unasked.calls, 'time')}: the waits and the total time are right, but the lines did not come from the backend. ` +
            `Call getUser, then getOrders and getFriends with the user it gives, for every user, and build each line with profileLine from what they return`,
        );
      }
      if (woken >= moments && waited >= fetches) {
        // And each detail's wait begins once its user's record is in: a record made up from the id, fetched beside
        // getUser, lets the details start at once, and a padding sleep can bring the total back to the right time.
        const start = run.trace.tasks().find((task) => task.thread === 'main')!.spawnedAtMs;
        const timers = run.trace.timers().map((timer) => ({ from: timer.fromMs - start, ms: timer.toMs - timer.fromMs }));
        const details = c.ids
          .flatMap((id, i) => [
            { id, what: 'orders', ms: c.ordersMs[i]!, after: c.userMs[i]! },
            { id, what: 'friends', ms: c.friendsMs[i]!, after: c.userMs[i]! },
          ])
          .filter((d) => d.ms > 0)
          .sort((a, b) => b.after - a.after);
        for (const d of details) {
          // The latest-starting fetch takes the earliest wait of its length that began after its record came.
          const fits = timers.filter((w) => w.ms === d.ms && w.from >= d.after).sort((a, b) => a.from - b.from);
          if (fits.length > 0) {
            timers.splice(timers.indexOf(fits[0]!), 1);
            continue;
          }
          const early = timers.find((w) => w.ms === d.ms);
          run.fail(
            `with latencies ${latencies(c)} ms (record + orders/friends), user-${d.id}'s ${d.what} (${d.ms} ms) ` +
              (early === undefined ? `were never waited for` : `began at ${count(early.from)} ms, before its record came in at ${count(d.after)} ms`) +
              `: the total time came out right, but the ${d.what} were not fetched with the record getUser returned. ` +
              `Await getUser(ids[i], userMs[i]) first, then pass that user to getOrders and getFriends`,
          );
        }
        return;
      }
      if (woken >= moments) {
        run.fail(
          `for ${c.ids.length} users, ${fetches} fetches, the program's tasks waited only ${plural(waited, 'time')}: ` +
            `some fetches did not wait for their own latency. Call getUser(ids[i], userMs[i]), getOrders(user, ordersMs[i]) and getFriends(user, friendsMs[i]) with each user's own latencies`,
        );
      }
      run.fail(
        `the fetches end at ${count(moments)} different moments, but the program's tasks were woken only ${plural(woken, 'time')}: ` +
          `the lines did not come from the backend. Call getUser, then getOrders and getFriends with the user it gives, for every user, and build each line from what they return`,
      );
    }
    run.fail(
      `with latencies ${latencies(c)} ms (record + orders/friends), profiles took only ${count(took)} ms, less than ${count(expected)}: ` +
        `the slowest user's record plus its details. Some orders or friends were fetched before their user record arrived; ` +
        `await the record first, then join what needs it`,
    );
  }),
];
