import { check, count, plural, show, type CheckContext } from '#weft/checks';

/** Room for a busy grader: a seeded run switches threads at every synchronization point, and a loaded machine switches slowly. */
const LOADED_GRADER = { budgetMs: 120_000 };

function someItems(t: CheckContext, n: number): number[] {
  return Array.from({ length: n }, () => Math.floor(t.random() * 10_000));
}

async function transfer(t: CheckContext, items: number[], capacity: number, request: { seed?: number; trace?: boolean }) {
  return t.call('transfer', [items, capacity], { timeoutMs: 30_000, ...request });
}

const describe = (items: number[], capacity: number) => `with ${plural(items.length, 'item')} and a capacity of ${capacity}`;

export default [
  check('delivers-everything', 'Every item arrives, in order, and the consumer stops after the last', async (t) => {
    for (const [i, seed] of t.seeds(2).entries()) {
      const items = someItems(t, 6);
      const capacity = i;
      const run = await transfer(t, items, capacity, { seed });
      const got = run.value;
      if (!Array.isArray(got) || got.length !== items.length || got.some((v, k) => v !== items[k])) {
        run.fail(`${describe(items, capacity)}, the consumer consumed ${show(got)}, not ${show(items)}`);
      }
    }
  }, LOADED_GRADER),

  check('never-too-far-ahead', 'The producer is never more than the capacity ahead of the consumer, even at capacity 0', async (t) => {
    for (const capacity of [0, 2]) {
      const items = someItems(t, 7);
      const [seed] = t.seeds(1);
      const run = await transfer(t, items, capacity, { seed, trace: true });
      const most = run.trace.mostInFlight();
      // A bounded channel holds `capacity` items, and a producer blocked in send may count one more.
      if (most > capacity + 1) {
        run.fail(
          `${describe(items, capacity)}, ${count(most)} items were sent and not yet received at one moment: the producer ran ahead of the slow consumer. ` +
            `Use a channel that holds at most ${capacity} (mpsc.syncChannel(${capacity})): a send into a full channel waits for the consumer`,
        );
      }
    }
  }, LOADED_GRADER),
];
