import { check, count, plural, show, type CheckContext, type ProgramRun } from '#weft/checks';

const WORDS = ['ant', 'bee', 'cat', 'dog', 'eel', 'fox', 'gnu', 'hen', 'owl', 'yak'];

/** Files of short lines the check makes up: some lines empty, some with doubled spaces. */
function someFiles(t: CheckContext, files: number, lines: number): string[][] {
  const pick = (n: number) => Math.floor(t.random() * n);
  return Array.from({ length: files }, () =>
    Array.from({ length: lines }, () => Array.from({ length: pick(5) }, () => WORDS[pick(WORDS.length)]).join(pick(4) === 0 ? '  ' : ' ')),
  );
}

const wordsIn = (files: string[][]) => files.flat().reduce((n, line) => n + line.split(' ').filter((w) => w !== '').length, 0);

function totalOf(run: ProgramRun): number {
  if (typeof run.value !== 'number') run.fail(`countWords returned ${show(run.value)}, expected a number of words`);
  return run.value as number;
}

export default [
  check('finishes', 'The program finishes instead of hanging', async (t) => {
    // A hang is reported by the grader as a deadlock, naming every thread that waits and the line where it waits.
    await t.eachRun({ seeds: 2, free: 1 }, (run) => {
      const words = Number(run.expectLine(/^Words: (\d+)$/, 'Words: 12')[1]);
      if (words !== 12) run.fail(`main printed Words: ${count(words)}, expected 12`);
    });
  }),

  check('counts-every-word', 'Counts every word of every file', async (t) => {
    // Five files, and one long one: with a single reader the counter often finds no line waiting while the
    // reader is still going (and under a seed a first recvTimeout that has to wait runs out: readers can be slow).
    const cases: [string[][], (number | undefined)[]][] = [
      [someFiles(t, 5, 3), [...t.seeds(1), undefined]],
      [someFiles(t, 1, 12), t.seeds(3)],
    ];
    for (const [files, seeds] of cases) {
      const expected = wordsIn(files);
      for (const seed of seeds) {
        const run = await t.call('countWords', [files], seed === undefined ? {} : { seed });
        const total = totalOf(run);
        if (total !== expected) run.fail(`countWords(${show(files)}) returned ${count(total)}, expected ${count(expected)}`);
      }
    }
  }),

  check('every-thread-ends', 'Every thread ends on its own before countWords returns', async (t) => {
    const files = someFiles(t, 2, 3);
    for (const seed of t.seeds(2)) {
      const run = await t.call('countWords', [files], { seed, trace: true });
      const ended = new Set(run.trace.exited());
      const stuck = run.trace.spawned().filter((s) => !ended.has(s.threadId));
      if (stuck.length === 0) {
        // The counter's loop over the lines ends because the lines channel closed. A counter that stops on its own
        // signal (an end-of-file line per reader, a count of lines) ends while someone still holds a lines Sender.
        const spawnedIds = new Set(run.trace.spawned().map((s) => s.threadId));
        if (run.trace.closedSeen().some((c) => spawnedIds.has(c.threadId))) continue;
        run.fail(
          `every thread ended, but the counter thread's loop over the lines never found the lines channel closed: it stopped on a signal of its own ` +
            `(an end marker, a count), while a Sender of the lines channel was still held. Drop the Sender nobody sends on, so that the channel closes ` +
            `once the readers are done, and the counter's for loop ends by itself`,
        );
      }
      run.fail(
        `countWords returned while ${plural(stuck.length, 'thread was', 'threads were')} still waiting` +
          `${stuck[0]!.line === undefined ? '' : ` (spawned at line ${stuck[0]!.line})`}: ` +
          `when the caller returns, such a thread is simply stopped. Don't count the messages to know when to stop; ` +
          `make each loop end because its channel closed, by dropping every Sender nobody will send on`,
        stuck[0]!.line === undefined ? undefined : { line: stuck[0]!.line, column: 1 },
      );
    }
  }),

  check('keeps-the-pipeline', 'The readers, the counter thread and the caller still pass the work along', async (t) => {
    const files = someFiles(t, 2, 3);
    const run = await t.call('countWords', [files], { trace: true });
    const channels = run.trace.channels();
    // The counter: a spawned thread that receives lines on one channel and sends counts on another.
    const counter = channels.some((lines) =>
      run.trace.threadsThat('recv', lines).some(
        (thread) => thread !== 'main' && channels.some((counts) => counts !== lines && run.trace.threadsThat('send', counts).includes(thread)),
      ),
    );
    if (!counter) {
      run.fail(
        'no thread received lines on one channel and sent counts on another: the counter thread is gone. Keep the pipeline (readers, counter, caller) and find the Sender that keeps it from finishing',
      );
    }
    const readers = channels.some((lines) => run.trace.threadsThat('send', lines).filter((name) => name !== 'main').length >= files.length);
    if (!readers) run.fail(`the lines of ${plural(files.length, 'file')} should be sent by one reader thread per file, on one channel`);
  }),
];
