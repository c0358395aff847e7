import { check, count, plural, show, type CheckContext, type ProgramRun } from '#weft/checks';

/** Room for a busy grader: a seeded run switches threads at every synchronization point, and a loaded machine switches slowly. */
const LOADED_GRADER = { budgetMs: 120_000 };

const CAPACITY = 2;

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/** The first `k` primes from `start` on. */
function primesFrom(start: number, k: number): number[] {
  const primes: number[] = [];
  for (let n = start; primes.length < k; n++) if (isPrime(n)) primes.push(n);
  return primes;
}

function somePlan(t: CheckContext): { start: number; k: number } {
  return { start: 1000 + Math.floor(t.random() * 50_000), k: 3 + Math.floor(t.random() * 3) };
}

async function firstPrimes(t: CheckContext, start: number, k: number, request: { seed?: number; trace?: boolean; mayFail?: boolean }) {
  return t.call('firstPrimes', [start, k], { timeoutMs: 30_000, ...request }); // generous: a busy grader switches threads slowly
}

const describe = (start: number, k: number) => `asked for the first ${k} primes from ${count(start)}`;

export default [
  check('first-k-primes', 'The caller gets the first k primes, in order', async (t) => {
    for (const seed of t.seeds(2)) {
      const { start, k } = somePlan(t);
      const run = await firstPrimes(t, start, k, { seed });
      const expected = primesFrom(start, k);
      const got = run.value;
      if (!Array.isArray(got) || got.length !== k || got.some((p, i) => p !== expected[i])) {
        run.fail(`${describe(start, k)}, firstPrimes returned ${show(got)}, not ${show(expected)}`);
      }
    }
  }, LOADED_GRADER),

  check('filter-finds-the-primes', 'The primes come from the filter stage, through the channel, not from the caller', async (t) => {
    // A caller that finds the primes itself and hangs up at once gets the right answer, and its stages stop quietly:
    // the pipeline is there for show. The trace records every receive and every call of isPrime, with its thread.
    const { start, k } = somePlan(t);
    const [seed] = t.seeds(1);
    const run = await firstPrimes(t, start, k, { seed, trace: true });
    const onCaller = run.trace.calls('isPrime').filter((c) => c.thread === 'main').length;
    if (onCaller > 0) {
      run.fail(
        `${describe(start, k)}, firstPrimes called isPrime ${plural(onCaller, 'time')} on the calling thread: testing the numbers is the filter stage's work. ` +
          `Take the primes the filter sends, from the primes channel's Receiver, until you have ${k}`,
      );
    }
    const received = run.trace.events.filter((e) => e.kind === 'recv' && e.thread === 'main').length;
    if (received < k) {
      run.fail(
        `${describe(start, k)}, firstPrimes received ${plural(received, 'value')} from the pipeline: the ${k} primes should come from the filter, through the primes channel`,
      );
    }
  }, LOADED_GRADER),

  check('every-stage-ends', 'Once the caller has enough, every stage stops quietly and firstPrimes returns', async (t) => {
    const { start, k } = somePlan(t);
    const [seed] = t.seeds(1);
    const run = await firstPrimes(t, start, k, { seed, mayFail: true, trace: true });
    if (run.status === 'ok') {
      // firstPrimes returns once every stage has ended: it joins them, so none is cut off mid-send when the program ends.
      const joined = new Set(run.trace.joins().map((j) => j.threadId));
      const loose = run.trace.spawned().filter((s) => !joined.has(s.threadId));
      // The caller hangs up: it never sees the primes channel closed. A caller that reads on until the channel closes
      // had the stages stop some other way (a shared stop flag), and the hang-up the exercise is about never happened.
      const stages = new Set(run.trace.spawned().map((s) => s.threadId));
      const drained = run.trace.closedSeen().find((c) => !stages.has(c.threadId));
      if (loose.length === 0 && drained !== undefined) {
        run.fail(
          `${describe(start, k)}, firstPrimes went on receiving until the primes channel closed${drained.line === undefined ? '' : ` (line ${drained.line})`}: ` +
            `the stages stopped some other way than by the caller hanging up. Once you have k primes, drop the primes Receiver and stop receiving: ` +
            `the filter's next send then fails with a SendError, and that is how it learns to stop (and the generator after it)`,
          drained.line === undefined ? undefined : { line: drained.line, column: 1 },
        );
      }
      if (loose.length === 0) return;
      run.fail(
        `${describe(start, k)}, firstPrimes returned without joining ${plural(loose.length, 'stage')}: ` +
          `after hanging up, join every stage, so that firstPrimes returns only once they have all stopped`,
        loose[0]!.line === undefined ? undefined : { line: loose[0]!.line, column: 1 },
      );
    }
    const panicked = run.errors.some((e) => /SendError|sending on a closed channel|receiver/i.test(e.message));
    run.fail(
      panicked
        ? `${describe(start, k)}, a stage panicked when its send failed (${run.summary}). Once the next stage has hung up, a failed send is how a stage learns it should stop: catch the SendError and return`
        : `${describe(start, k)}, firstPrimes never returned (${run.summary}). The stages are blocked sending into full channels nobody reads: ` +
            `drop the primes Receiver as soon as you have k primes, before you join the stages, so that their sends fail and they can stop`,
    );
  }, LOADED_GRADER),

  check('bounded-waste', 'The generator stops soon after the caller has enough: the channels keep it at most a few numbers ahead', async (t) => {
    const { start, k } = somePlan(t);
    const [seed] = t.seeds(1);
    const run = await firstPrimes(t, start, k, { seed, trace: true });
    // The generator's channel: the one whose values were sent by the thread that received nothing.
    const channels = run.trace.channels();
    const generatorChannel = channels.find((c) => run.trace.threadsThat('send', c).some((name) => name !== 'main' && !channels.some((d) => run.trace.threadsThat('recv', d).includes(name))));
    if (generatorChannel === undefined) run.fail(`${describe(start, k)}, no thread sent numbers without receiving any: keep the generator stage`);
    // Bounded by design, not by this schedule's luck: a channel with room for more lets its sender run ahead whenever
    // the next stage is slow, whether or not this run's schedule made it slow.
    for (const channel of channels) {
      const capacity = run.trace.capacity(channel);
      if (capacity === undefined || (capacity !== 'unbounded' && capacity <= CAPACITY)) continue;
      const [sender] = run.trace.threadsThat('send', channel);
      const [receiver] = run.trace.threadsThat('recv', channel);
      const at = run.trace.events.find((e) => e.kind === 'send' && e.object === channel && e.line !== undefined);
      run.fail(
        `${describe(start, k)}, ${
          channel === generatorChannel
            ? 'the numbers channel, from the generator to the filter,'
            : receiver === 'main'
              ? 'the primes channel, from the filter to the caller,'
              : `the channel from ${sender ?? 'a stage'} to ${receiver ?? 'the next stage'}`
        } ` +
          (capacity === 'unbounded' ? 'is unbounded (mpsc.channel())' : `holds ${count(capacity)} values`) +
          `: its sender can run that far ahead whenever the stage after it is slow, and everything it sends past what the caller needs is wasted. ` +
          `Make every channel of the pipeline mpsc.syncChannel(${CAPACITY})`,
        at?.line !== undefined ? { line: at.line, column: 1 } : undefined,
      );
    }
    const ahead = run.trace.mostInFlight(generatorChannel);
    if (ahead > CAPACITY + 1) {
      run.fail(
        `${describe(start, k)}, the generator was ${count(ahead)} numbers ahead of the filter at one moment: nothing held it back. ` +
          `Keep the channels bounded (syncChannel(${CAPACITY})), so that a stage that gets ahead waits for the next one`,
      );
    }
    const sent = run.trace.sends(generatorChannel);
    // The filter may run ahead of the caller by the primes channel and the one prime it is sending; the generator ahead of the filter by its channel and one number.
    const enough = primesFrom(start, k + CAPACITY + 1).at(-1)! - start + 1 + CAPACITY + 1;
    if (sent > enough) {
      run.fail(
        `${describe(start, k)}, the generator produced ${count(sent)} numbers, when ${count(enough)} at most could be needed: it ran far ahead of the filter. ` +
          `Keep the channels bounded (syncChannel(${CAPACITY})), so that a stage that gets ahead waits for the next one`,
      );
    }
  }, LOADED_GRADER),
];
