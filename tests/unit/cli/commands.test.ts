/**
 * The command line as a learner uses it: `npm run weft -- run`, `check`,
 * `hint`, `list` and `watch`, each a real process, in a learner's tree of
 * their own (WEFT_LEARN_DIR).
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getExercise, listExercises } from '../../../src/exercises/catalog.ts';
import { CLI, runCli } from '../support/cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/** A learner's tree of their own, removed after the test. */
const learnDir = () => tempDir('weft-learn-');

const weft = (args: string[], learn: string) => runCli(args, { env: { WEFT_LEARN_DIR: learn, NO_COLOR: '1' }, timeout: 200_000 });

describe('weft CLI', () => {
  it('run prints the program output and exits non-zero on a panic', () => {
    const learn = learnDir();
    const file = join(learn, 'panics.ts');
    writeFileSync(file, 'function main() {\n  console.log("before");\n  throw new Error("boom");\n}\n');
    const result = weft(['run', file], learn);
    expect(result.stdout).toBe('before\n');
    expect(result.stderr).toContain(`${file}:3:`);
    expect(result.stderr).toContain('boom');
    expect(result.code).toBe(1);
  });

  it('run --trace prints each async task\'s spawn and exit with its counters', () => {
    const learn = learnDir();
    const file = join(learn, 'tasks.ts');
    writeFileSync(
      file,
      'import { spawn, sleep, time } from "weft/task";\nasync function main() {\n  time.pause();\n  const h = spawn(async () => { await sleep(10); });\n  await h;\n}\n',
    );
    const result = weft(['run', file, '--trace'], learn);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`\\[main\\] task-spawn @1 ${file}:4:\\d+`));
    expect(result.stderr).toMatch(new RegExp(`\\[main\\] task-exit @1 ${file}:4:\\d+ ok, polls 2, wakes 1, busy \\d+ µs`));
  });

  it('check creates the working copy from the starter, fails it, and passes once the solution is in it', { timeout: 240_000 }, () => {
    const learn = learnDir();
    const exercise = getExercise('shared-counter');
    const first = weft(['check', 'shared-counter'], learn);
    const copy = join(learn, '01-threads', '02-shared-counter.ts');
    expect(first.stdout).toContain('Created');
    expect(readFileSync(copy, 'utf8')).toBe(exercise.starter);
    // Beside it, a tsconfig.json with which the learner's own editor resolves weft and checks as the page does.
    const tsc = spawnSync(process.execPath, [fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url)), '-p', join(learn, 'tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    expect(first.code).toBe(1);
    for (const check of exercise.checks) expect(first.stdout).toContain(check.title);
    expect(first.stdout).toMatch(/✗ No increment is lost/);

    writeFileSync(copy, exercise.solution);
    const second = weft(['check', 'shared-counter'], learn);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toContain(`All ${exercise.checks.length} checks passed`);
    expect(weft(['list'], learn).stdout).toMatch(/solved\s+shared-counter/);
  });

  it('check and run say which type errors TypeScript marks, at the file\'s line and column; the solution gets no such note', { timeout: 240_000 }, () => {
    // `let sum: number = "0"` sums "0123": the checks fail on the values, and only TypeScript can say why.
    const learn = learnDir();
    const exercise = getExercise('join-results');
    const lines = exercise.solution.split('\n');
    const line = lines.findIndex((l) => l.includes('let sum = 0;')) + 1;
    const column = lines[line - 1]!.indexOf('sum') + 1;
    lines[line - 1] = lines[line - 1]!.replace('let sum = 0;', 'let sum: number = "0";');
    const file = join(learn, 'typed.ts');
    writeFileSync(file, lines.join('\n'));
    const checked = weft(['check', 'join-results', '--file', file], learn);
    expect(checked.code).toBe(1);
    const note = checked.stdout.split('\n');
    const at = note.findIndex((l) => l.startsWith('TypeScript marks an error in this code. Rust would not compile such a program'));
    expect(at, checked.stdout).toBeGreaterThan(0);
    expect(note[at + 1]).toBe(`  ${file}:${line}:${column}: Type 'string' is not assignable to type 'number'.`);
    // Said before the verdict, after the checks.
    expect(note[at + 2]).toMatch(/^\d+ of 5 checks passed/);

    const ran = weft(['run', file], learn);
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain(`TypeScript marks an error in this code. Rust would not compile such a program; weft ran it anyway`);
    expect(ran.stderr).toContain(`  ${file}:${line}:${column}: Type 'string' is not assignable to type 'number'.`);

    writeFileSync(file, exercise.solution);
    const clean = weft(['check', 'join-results', '--file', file], learn);
    expect(clean.code, clean.stdout).toBe(0);
    expect(clean.stdout).not.toContain('TypeScript marks');
    expect(weft(['run', file], learn).stderr).not.toContain('TypeScript marks');
  });

  it('check --file names the failing seed, and run --seed replays exactly that run', { timeout: 240_000 }, () => {
    const learn = learnDir();
    const exercise = getExercise('shared-counter');
    const wrong = exercise.wrong.find((w) => w.name === 'read-then-write')!;
    const result = weft(['check', 'shared-counter', '--file', wrong.file], learn);
    expect(result.code).toBe(1);
    const failure = /With seed (\d+) the total was ([\d,]+), expected 1,000/.exec(result.stdout);
    expect(failure, result.stdout).not.toBeNull();
    const [, seed, total] = failure!;
    expect(result.stdout).toContain(`--seed ${seed}`);
    const replay = weft(['run', wrong.file, '--seed', seed!], learn);
    expect(replay.stdout.trim()).toBe(`Total: ${total!.replaceAll(',', '')}`);
  });

  it("a failing call of the learner's function prints a replay command that returns what failed", { timeout: 240_000 }, () => {
    const learn = learnDir();
    const wrong = getExercise('bank-transfers').wrong.find((w) => w.name === 'unlock-between')!;
    const result = weft(['check', 'bank-transfers', '--file', wrong.file], learn);
    expect(result.code).toBe(1);
    // The check saw money missing while transfers ran (from the trace), under a seed it names with the call to replay.
    expect(result.stdout).toMatch(/With seed \d+ while \d+ transfers ran on \d+ threads, .* the bank holding [\d,]+ instead of [\d,]+/);
    const command = /replay it: npm run weft -- (run .* --call runBank --args '(.*)')$/m.exec(result.stdout);
    expect(command, result.stdout).not.toBeNull();
    const seed = /--seed (\d+)/.exec(command![1]!)![1]!;
    const replay = () => weft(['run', wrong.file, '--seed', seed, '--call', 'runBank', '--args', command![2]!, '--trace'], learn);
    const first = replay();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^runBank returned \{ balances: \[.*\], totals: \[.*\] \}$/m);
    // The replay is that schedule, every time: the same result and the same interleaving of lock events.
    const second = replay();
    expect(second.stdout).toBe(first.stdout);
    const locks = (stderr: string) => stderr.split('\n').filter((line) => / (lock|unlock) /.test(line)).map((line) => line.replace(/^trace \d+ /, ''));
    expect(locks(first.stderr).length).toBeGreaterThan(0);
    expect(locks(second.stderr)).toEqual(locks(first.stderr));
  });

  it('hint gives the hints one at a time, then all of them', () => {
    const learn = learnDir();
    const { hints } = getExercise('shared-counter');
    const one = weft(['hint', 'shared-counter'], learn);
    expect(one.stdout).toContain(`Hint 1 of ${hints.length}`);
    expect(one.stdout).toContain(hints[0]);
    expect(one.stdout).not.toContain(hints[1]);
    const two = weft(['hint', 'shared-counter'], learn);
    expect(two.stdout).toContain(`Hint 2 of ${hints.length}`);
    expect(two.stdout).not.toContain(hints[0]);
    const all = weft(['hint', 'shared-counter', '--all'], learn);
    for (const hint of hints) expect(all.stdout).toContain(hint);
  });

  it("progress goes both ways with the page: export writes the page's progress file, import merges one the page wrote", { timeout: 240_000 }, () => {
    const learn = learnDir();
    const [first, second] = listExercises();
    // The CLI saw two hints of the first exercise ...
    expect(weft(['hint', first!.id], learn).code).toBe(0);
    expect(weft(['hint', first!.id], learn).code).toBe(0);
    const file = join(learn, 'out.json');
    expect(weft(['export', file], learn).code).toBe(0);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    expect(exported).toMatchObject({ format: 'weft-progress', version: expect.any(Number), exercises: [{ id: first!.id, hintsShown: 2, attempts: 0 }], drafts: [] });

    // ... and the page solved the first exercise and left a draft of the second.
    const fromPage = {
      format: 'weft-progress',
      version: exported.version,
      exportedAt: new Date().toISOString(),
      exercises: [{ id: first!.id, attempts: 3, hintsShown: 1, passedAt: 1_700_000_000_000, lastResult: 'passed' }],
      drafts: [{ id: second!.id, source: '// from the page\n', savedAt: Date.now() + 60_000 }],
    };
    const pageFile = join(learn, 'from-page.json');
    writeFileSync(pageFile, JSON.stringify(fromPage));
    const imported = weft(['import', pageFile], learn);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`Continue with ${second!.id}`);
    // Nothing either side knew is lost: solved, 3 attempts, 2 hints.
    const list = weft(['list'], learn);
    expect(list.stdout).toMatch(new RegExp(`solved\\s+${first!.id}`));
    expect(list.stdout).toContain(`Continue with ${second!.id}`);
    const progress = JSON.parse(readFileSync(join(learn, 'progress.json'), 'utf8'));
    expect(progress.exercises).toEqual([expect.objectContaining({ id: first!.id, attempts: 3, hintsShown: 2, passedAt: 1_700_000_000_000 })]);
    expect(readFileSync(join(learn, basename(dirname(second!.dir)), `${basename(second!.dir)}.ts`), 'utf8')).toBe('// from the page\n');

    // A file that is not a progress file is refused in the learner's terms.
    writeFileSync(pageFile, '{"hello": 1}');
    const refused = weft(['import', pageFile], learn);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('not a Weft progress file');
  });

  it('an unknown exercise is a usage error that lists the real ones', () => {
    const result = weft(['check', 'shared'], learnDir());
    expect(result.code).toBe(64);
    expect(result.stderr).toContain("there is no exercise 'shared'. Did you mean shared-counter?");
  });

  it('watch re-checks on save and moves on to the next unsolved exercise', { timeout: 240_000 }, async () => {
    const learn = learnDir();
    const [first, second] = listExercises();
    const child = spawn(process.execPath, [CLI, 'watch'], { env: { ...process.env, WEFT_LEARN_DIR: learn, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const waitFor = async (pattern: RegExp) => {
      for (let i = 0; i < 1200 && !pattern.test(stdout); i++) await new Promise((r) => setTimeout(r, 100));
      expect(stdout).toMatch(pattern);
    };
    try {
      await waitFor(/checks passed/); // the starter, checked at once, fails
      expect(stdout).toContain(`Exercise 1 of`);
      expect(stdout).not.toContain(`Solved ${first!.id}`);
      writeFileSync(join(learn, basename(dirname(first!.dir)), `${basename(first!.dir)}.ts`), first!.solution);
      await waitFor(new RegExp(`Solved ${first!.id}`));
      await waitFor(new RegExp(`Exercise 2 of \\d+: ${second!.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    } finally {
      child.kill();
    }
  });
});
