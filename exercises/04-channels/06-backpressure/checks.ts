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

  check('never-too-far-ahead', 'The producer is never more than the capacity ahead of the consumer, even at capacity 0, and uses the room it has', async (t) => {
    // Under a seed one thread runs at a time, so the trace's order is exact: a syncChannel(c) has at most c items
    // sent and not yet received (a rendezvous: the 1 being handed over). A wider channel shows as one more.
    const seeds = t.seeds(3);
    for (const capacity of [0, 2]) {
      const items = someItems(t, 7);
      const limit = Math.max(capacity, 1);
      let most = 0;
      for (const seed of seeds) {
        const run = await transfer(t, items, capacity, { seed, trace: true });
        const ahead = run.trace.mostInFlight();
        if (capacity === 0) {
          // A rendezvous send returns only once the consumer has taken its item, so the producer can't be done
          // while its last item is still unreceived. A channel with room for one looks the same to mostInFlight.
          const events = run.trace.events;
          const producer = run.trace.spawned()[0]?.threadId;
          const exitAt = events.findIndex((e) => e.kind === 'exit' && e.threadId === producer);
          const lastRecv = events.findLastIndex((e) => e.kind === 'recv');
          if (exitAt >= 0 && exitAt < lastRecv) {
            run.fail(
              `${describe(items, capacity)}, the producer had sent everything and finished while the consumer had not yet taken the last item: ` +
                `the channel held it. At capacity 0 nothing may wait in the channel: mpsc.syncChannel(0) is a rendezvous, where each send waits until the consumer receives the item`,
            );
          }
        }
        if (ahead > limit) {
          run.fail(
            `${describe(items, capacity)}, ${count(ahead)} items were sent and not yet received at one moment: the producer ran ahead of the slow consumer. ` +
              `Use a channel that holds at most ${capacity} (mpsc.syncChannel(${capacity})): a send into a full channel waits for the consumer`,
          );
        }
        most = Math.max(most, ahead);
        if (capacity > 0 && most >= capacity) break;
      }
      if (most < capacity) {
        t.fail(
          `${describe(items, capacity)}, in ${plural(seeds.length, 'schedule')} the producer was never more than ${plural(most, 'item')} ahead of the slow consumer: ` +
            `it never used the room the channel should have. Make the channel hold \`capacity\` items (mpsc.syncChannel(capacity)), so the producer can run up to that far ahead`,
        );
      }
    }
  }, LOADED_GRADER),
];
