import { check, count, plural, show, type CheckContext, type ProgramRun, type TraceView } from '#weft/checks';

/**
 * Each philosopher's meals, read from the trace: a meal is a call to eat()
 * (the trace records each call of an exported function) and its sleep; the
 * locks the thread holds then are its forks. A sleep outside eat() is no meal.
 */
interface Meal {
  thread: number;
  forks: number[];
  /** Trace positions of the locks that picked those forks up: a fork kept from one meal to the next has the same one. */
  pickedUp: number[];
  /** Trace positions of the meal's sleep and of its end. */
  from: number;
  to: number;
}

function mealsOf(trace: TraceView): { philosophers: number[]; meals: Meal[] } {
  const philosophers = trace.spawned().map((s) => s.threadId);
  const isPhilosopher = new Set(philosophers);
  const held = new Map<number, Map<number, number>>();
  const open = new Map<number, Meal>();
  const meals: Meal[] = [];
  const eats = new Set(trace.calls('eat').map((c) => c.index));
  const eating = new Set<number>(); // threads inside eat(), before its sleep (with eat no longer exported, no call is recorded: every sleep counts)
  trace.events.forEach((e, i) => {
    if (!isPhilosopher.has(e.threadId)) return;
    let mine = held.get(e.threadId);
    if (mine === undefined) held.set(e.threadId, (mine = new Map()));
    if (e.kind === 'lock') mine.set(e.object, i);
    else if (e.kind === 'unlock') mine.delete(e.object);
    else if (eats.has(i)) eating.add(e.threadId);
    else if (e.kind === 'block' && e.object === 0 && (eating.has(e.threadId) || eats.size === 0)) {
      // eat()'s sleep: weft's sleep blocks on no object (0)
      eating.delete(e.threadId);
      const meal = { thread: e.threadId, forks: [...mine.keys()].sort((a, b) => a - b), pickedUp: [...mine.values()], from: i, to: trace.events.length };
      open.set(e.threadId, meal);
      meals.push(meal);
    } else if (e.kind === 'wake' && e.object === 0) {
      const meal = open.get(e.threadId);
      if (meal !== undefined) meal.to = i;
      open.delete(e.threadId);
    }
  });
  return { philosophers, meals };
}

/**
 * What the philosophers waited for while they held no fork. A waiter (a semaphore, a channel of seats) that keeps
 * one of them from the table shows as a wait on something that is not a fork (a Condvar, a channel, the waiter's
 * lock) with no fork in hand; a clock that staggers them shows as a sleep outside eat(), with fewer than two forks.
 */
function waitsAwayFromTheTable(trace: TraceView): { gate: boolean; clockLine: number | undefined; clock: boolean } {
  const forks = new Set(mealsOf(trace).meals.flatMap((m) => m.forks));
  const philosophers = new Set(trace.spawned().map((s) => s.threadId));
  const held = new Map<number, Set<number>>();
  let gate = false;
  let clock = false;
  let clockLine: number | undefined;
  for (const e of trace.events) {
    if (!philosophers.has(e.threadId)) continue;
    let mine = held.get(e.threadId);
    if (mine === undefined) held.set(e.threadId, (mine = new Set()));
    const forksInHand = [...mine].filter((m) => forks.has(m)).length;
    if (e.kind === 'lock') mine.add(e.object);
    else if (e.kind === 'unlock') mine.delete(e.object);
    else if (e.kind === 'block' && e.waitKind === 'sleep' && forksInHand < 2) {
      clock = true;
      clockLine ??= e.line;
    } else if (e.kind === 'block' && e.waitKind !== 'sleep' && e.waitKind !== 'join' && forksInHand === 0 && !forks.has(e.object)) gate = true;
  }
  return { gate, clock, clockLine };
}

async function dine(t: CheckContext, philosophers: number, meals: number, seed: number): Promise<{ run: ProgramRun; eaten: number[] }> {
  // A generous time limit: a traced, seeded run switches threads at every lock, and a busy grader switches slowly.
  const run = await t.call('dine', [philosophers, meals], { seed, trace: true, timeoutMs: 30_000 });
  const eaten = run.value;
  if (!Array.isArray(eaten) || eaten.length !== philosophers || !eaten.every((n) => typeof n === 'number')) {
    run.fail(`dine(${philosophers}, ${meals}) returned ${show(eaten)}: it should return how many times each of the ${philosophers} philosophers ate, by seat`);
  }
  return { run, eaten: eaten as number[] };
}

const table = (philosophers: number, meals: number) => `with ${plural(philosophers, 'philosopher')} eating ${plural(meals, 'meal')} each`;

export default [
  check('everyone-eats', 'Each philosopher, on a thread of their own, eats the given number of meals, holding two forks each time', async (t) => {
    const n = 4 + Math.floor(t.random() * 2);
    const meals = 2;
    const [seed] = t.seeds(1);
    const { run, eaten } = await dine(t, n, meals, seed!);
    if (eaten.some((m) => m !== meals)) run.fail(`${table(n, meals)}, dine returned ${show(eaten)}`);
    const { philosophers, meals: all } = mealsOf(run.trace);
    if (philosophers.length !== n) run.fail(`${table(n, meals)}, dine spawned ${plural(philosophers.length, 'thread')}: give each philosopher a thread of their own`);
    for (const [seat, thread] of philosophers.entries()) {
      const mine = all.filter((m) => m.thread === thread);
      const withForks = mine.filter((m) => m.forks.length >= 2).length;
      if (mine.length !== meals || withForks !== meals) {
        run.fail(
          `${table(n, meals)}, the philosopher on thread ${seat + 1} of ${n} called eat() ${plural(mine.length, 'time')}, ` +
            `${withForks === mine.length ? 'each time' : `only ${count(withForks)} of them`} holding two forks: a philosopher eats only with both forks in hand (both Mutexes locked)`,
        );
      }
      // Each meal picks its forks up afresh: a fork kept from one meal to the next starves the neighbours for all of them.
      const kept = mine.findIndex((m, i) => i > 0 && m.pickedUp.some((at) => mine[i - 1]!.pickedUp.includes(at)));
      if (kept > 0) {
        const line = run.trace.events[mine[kept]!.from]?.line;
        run.fail(
          `${table(n, meals)}, the philosopher on thread ${seat + 1} of ${n} ate meal ${kept + 1} without putting down a fork they had held since meal ${kept}: ` +
            `put both forks down (unlock them) after every meal and pick them up again for the next, so the neighbours get a turn`,
          line === undefined ? undefined : { line, column: 1 },
        );
      }
    }
  }),

  check('neighbours-share-forks', 'The table is round: each fork lies between two neighbours, who share it', async (t) => {
    const n = 4 + Math.floor(t.random() * 2);
    const [seed] = t.seeds(1);
    const { run } = await dine(t, n, 2, seed!);
    const { philosophers, meals } = mealsOf(run.trace);
    const forksOf = new Map(philosophers.map((p) => [p, new Set(meals.filter((m) => m.thread === p).flatMap((m) => m.forks))]));
    const users = new Map<number, number[]>();
    for (const [p, forks] of forksOf) for (const f of forks) users.set(f, [...(users.get(f) ?? []), p]);
    const odd = [...forksOf.values()].find((forks) => forks.size !== 2);
    if (odd !== undefined) run.fail(`${table(n, 2)}, a philosopher ate holding ${plural(odd.size, 'different lock')} over their meals: each has exactly two forks, the one on their left and the one on their right`);
    const unshared = [...users.values()].filter((ps) => ps.length !== 2).length;
    if (users.size !== n || unshared > 0) {
      run.fail(
        `${table(n, 2)}, the philosophers ate with ${plural(users.size, 'fork')} between them, ${count(unshared)} of which ${unshared === 1 ? "wasn't" : "weren't"} shared by exactly two philosophers. ` +
          `There are ${n} forks, one between each two neighbours: make them once, and give each philosopher clones of the Arcs of their two forks`,
      );
    }
    // Neighbours form one ring: walk it from the first philosopher.
    const seen = new Set<number>();
    let at = philosophers[0]!;
    while (!seen.has(at)) {
      seen.add(at);
      const next = [...forksOf.get(at)!].flatMap((f) => users.get(f)!).find((p) => p !== at && !seen.has(p));
      if (next === undefined) break;
      at = next;
    }
    if (seen.size !== n) run.fail(`${table(n, 2)}, the forks don't seat the philosophers around one table: fork i should lie between seats i and i + 1, and the last fork between the last seat and the first`);
  }),

  check('no-deadlock', 'No deadlock is possible: the forks are never taken in a circle, or something keeps the circle from closing', async (t) => {
    // Both table sizes (a fix that works only for an even or an odd table shows), two schedules each, and four
    // meals: a philosopher who picks which fork to take first anew each meal closes the circle in most runs, not all.
    const meals = 4;
    const seeds = t.seeds(16);
    let circle: { run: ProgramRun; n: number; cycle: NonNullable<ReturnType<TraceView['lockOrderCycle']>> } | undefined;
    let gate = false;
    let clockLine: number | undefined;
    let clock = false;
    const look = (run: ProgramRun) => {
      const away = waitsAwayFromTheTable(run.trace);
      gate ||= away.gate;
      clock ||= away.clock;
      clockLine ??= away.clockLine;
    };
    for (const [i, seed] of seeds.slice(0, 4).entries()) {
      const n = 4 + (i % 2);
      const { run } = await dine(t, n, meals, seed);
      look(run);
      const cycle = run.trace.lockOrderCycle();
      if (cycle !== undefined) circle ??= { run, n, cycle };
    }
    if (circle === undefined) return;
    // The forks are taken in a circle. That deadlocks when every philosopher holds their first fork at once, unless
    // something keeps one of them from the table: a waiter that seats at most n - 1 (Dijkstra's semaphore, the
    // chapter's Condvar semaphore). Twelve more schedules try to close the circle: left-fork-first deadlocks in 19
    // schedules of 20 with five philosophers (measured), a waiter's table never does.
    const explain = (n: number, cycle: NonNullable<ReturnType<TraceView['lockOrderCycle']>>) =>
      `${table(n, meals)}, ${plural(cycle.length, 'philosopher')} each picked up one fork and then reached for ` +
      `the fork the next one picks up first, all the way around the table. If they all pick up their first fork at the same moment, each waits forever for the next`;
    for (const [i, seed] of seeds.slice(4).entries()) {
      const n = 4 + (i % 2);
      const run = await t.call('dine', [n, meals], { seed, trace: true, timeoutMs: 30_000, mayFail: true });
      if (run.status === 'deadlock') {
        run.fail(
          `${explain(n, run.trace.lockOrderCycle() ?? circle.cycle)}, and in this run they did: a deadlock. ` +
            `Break the circle (for example, have everyone pick up the lower-numbered of their two forks first), or let at most ${n - 1} philosophers sit at the table at once (a waiter: a semaphore with ${n - 1} permits)`,
        );
      }
      if (run.status !== 'ok') run.failEnded(`dine(${n}, ${meals}) ended with ${run.status}: ${run.summary}`);
      look(run);
    }
    // A circle that never closed in sixteen schedules: kept from closing by a waiter, or by the clock (philosophers
    // sleeping so as not to reach for their forks at the same moment), which only makes it unlikely.
    if (clock && !gate) {
      const first = circle.cycle[0]!;
      circle.run.fail(
        `${explain(circle.n, circle.cycle)}. They never did in these runs, because they sleep${clockLine === undefined ? '' : ` (line ${clockLine})`} outside eat(), ` +
          `but a sleep only makes it unlikely: on a busy machine the timing drifts. Break the circle (for example, have everyone pick up the lower-numbered of their two forks first), ` +
          `or let at most ${circle.n - 1} philosophers sit at the table at once (a waiter: a semaphore with ${circle.n - 1} permits)`,
        first.inner.line === undefined ? undefined : { line: first.inner.line, column: 1 },
      );
    }
  }, { budgetMs: 180_000 }),

  check('neighbours-eat-together', 'Philosophers who share no fork can eat at the same time', async (t) => {
    const n = 5;
    let most = 0;
    for (const seed of t.seeds(2)) {
      const { run } = await dine(t, n, 2, seed);
      const { meals } = mealsOf(run.trace);
      for (const meal of meals) {
        const together = meals.filter((other) => other.from <= meal.from && other.to > meal.from).length;
        most = Math.max(most, together);
      }
      if (most >= 2) return;
    }
    t.fail(
      `in 2 schedules with ${n} philosophers, no two ever ate at the same time, though two who share no fork could: ` +
        `something besides the forks keeps them apart. Take only the two forks around each meal, no lock for the whole table`,
    );
  }),
];
