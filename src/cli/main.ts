/**
 * The weft command line: runs a program exactly as the book's page does —
 * the same compile step, the same supervisor and workers, the same weft —
 * over Node's worker_threads.
 *
 *   npm run weft -- run <file.ts> [--timeout ms] [--threads] [--seed N [--schedule random|pct]] [--trace] [--timeline out.html]
 *   npm run weft -- check <exercise> [--file F] | watch | hint <exercise> [--all] | list
 *
 * The exercise commands are in exercises.ts.
 *
 * Output lines go to stdout (with --threads, each prefixed by its thread's
 * name); errors go to stderr as `file:line:column: message`. The exit code is
 * 0 when main returns, 1 on a panic or compile error, 2 on a timeout or a
 * runtime failure, 64 on bad usage.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { createNodeSupervisor } from '../runner/node-host.ts';
import { DEFAULT_TIMEOUT_MS, type RunEvent, type RunOptions } from '../runner/events.ts';
import { checkCommand, exportCommand, hintCommand, importCommand, listCommand, UsageError, watchCommand } from './exercises.ts';
import { show } from '../exercises/checks-api.ts';
import { inGuardedChild, runGuarded } from './guard.ts';
import { describeTypeErrors, typeCheckIsQuick, typeErrorsIn } from './type-check.ts';
import type { ConsoleLine } from '../timeline/model.ts';
import { standaloneHtml } from '../timeline/standalone.ts';
import type { DeadlockEntry } from '../timeline/wait-for.ts';

const USAGE = `usage: npm run weft -- run <file.ts> [--timeout ms] [--threads] [--seed N [--schedule random|pct]] [--trace] [--timeline out.html] [--call NAME [--args JSON]]
       npm run weft -- check <exercise> [--file F]
       npm run weft -- watch
       npm run weft -- hint <exercise> [--all]
       npm run weft -- list
       npm run weft -- export <file.json> | import <file.json>

  run <file.ts>    compile and run a program (it needs a main function)
  check <exercise> grade your working copy of an exercise (learn/NN-chapter/NN-slug.ts,
                   created from the starter the first time), or the file given with
                   --file, with the same checks as the book's page; exit code 0 when
                   every check passes
  watch            check the first unsolved exercise every time you save it, then
                   move on to the next one (keys: h hint, c check, l list, q quit)
  hint <exercise>  show the next hint (--all: every hint so far)
  list             every exercise, which you have solved, and the one to continue with
  export <file>    write your progress and working copies as the book page's progress
                   file (its "Import progress" reads it; so does \`import\`)
  import <file>    merge a progress file the page exported: progress, and working
                   copies newer than yours
  --timeout ms     stop the program after ms milliseconds (default ${DEFAULT_TIMEOUT_MS})
  --threads        prefix every output line with the name of its thread
  --seed N         run under the seeded scheduler: one thread at a time, switching at
                   weft's synchronization points as seed N decides; the same seed
                   replays the same interleaving (time is virtual)
  --schedule S     how the seeded scheduler picks: random (default) or pct
  --trace          print the run's trace (spawn, lock, send, block, ..., and each async
                   task's spawn and exit with its polls, wakes and busy time) to stderr
  --timeline F     write the run's timeline (one lane per thread: running, blocked, locks
                   held, messages, spawns and joins, console lines; the wait-for graph
                   when it deadlocks) to F, one standalone HTML file
  --call NAME      call the program's exported function NAME instead of main, with the
                   arguments in --args (a JSON array, default []), and print what it returns`;

function fail(message: string, code = 64): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function run(file: string, options: RunOptions, labelThreads: boolean, timeline?: string): Promise<number> {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`weft: cannot read ${file}: ${(error as Error).message}`, 66);
  }
  const supervisor = createNodeSupervisor();
  // Lines arrive in batches (runner/output-ring.ts); one write per batch and stream, not one per line.
  let pending: { to: NodeJS.WriteStream; text: string }[] = [];
  const flush = () => {
    for (const { to, text } of pending) to.write(text);
    pending = [];
  };
  const write = (to: NodeJS.WriteStream, text: string) => {
    const last = pending.at(-1);
    if (last?.to === to) last.text += text;
    else {
      if (pending.length === 0) queueMicrotask(flush);
      pending.push({ to, text });
    }
  };
  const printed: ConsoleLine[] = [];
  const errors: DeadlockEntry[] = [];
  const onEvent = (event: RunEvent) => {
    switch (event.kind) {
      case 'output': {
        if (event.at) printed.push({ thread: event.thread, threadId: event.threadId, text: event.text, time: event.at.time, ...(event.at.line ? { line: event.at.line } : {}) });
        const line = labelThreads ? `[${event.thread}] ${event.text}` : event.text;
        write(event.stream === 'error' || event.stream === 'warn' ? process.stderr : process.stdout, `${line}\n`);
        return;
      }
      case 'error': {
        errors.push({ ...(event.error.thread ? { thread: event.error.thread } : {}), ...(event.error.location ? { line: event.error.location.line } : {}), ...(event.error.task ? { task: event.error.task } : {}) });
        const where = event.error.location ? `${file}:${event.error.location.line}:${event.error.location.column}: ` : `${file}: `;
        write(process.stderr, `${where}${event.error.name}: ${event.error.message}\n`);
        return;
      }
      case 'end':
        flush();
        if (event.outcome.status !== 'ok') process.stderr.write(`weft: ${event.outcome.message}\n`);
        return;
    }
  };
  // --timeline asks for the trace without printing it (--trace prints it too).
  const printTrace = options.trace === true;
  // TypeScript looks at the file while it runs (or after it, the first time: typeCheckIsQuick); what it finds is said
  // after the run, on stderr.
  const typeCheck = () => typeErrorsIn(file).catch(() => undefined);
  const types = typeCheckIsQuick() ? typeCheck() : undefined;
  const outcome = await supervisor.startRun(source, timeline ? { ...options, trace: true, tracePolls: true } : options, onEvent).done;
  if (types === undefined) process.stderr.write('weft: TypeScript is looking at the program (the first time after weft changed takes a few seconds)\n');
  for (const line of describeTypeErrors((await (types ?? typeCheck())) ?? [], file, 'weft ran it anyway, so what it did may have gone wrong because of it')) {
    process.stderr.write(`${line}\n`);
  }
  if (timeline && outcome.trace) {
    const html = standaloneHtml({
      title: basename(file),
      ending: outcome.message,
      events: outcome.trace.events,
      dropped: outcome.trace.dropped,
      console: printed,
      virtual: outcome.seed !== undefined,
      ...(outcome.status === 'deadlock' ? { deadlocked: errors } : {}),
    });
    try {
      writeFileSync(timeline, html);
      process.stderr.write(`weft: wrote the timeline to ${timeline}\n`);
    } catch (error) {
      process.stderr.write(`weft: cannot write the timeline to ${timeline}: ${(error as Error).message}\n`);
    }
  }
  if (outcome.trace && printTrace) {
    // One event a line on stderr: time (µs, or the scheduler's step under --seed), thread, what, object, where.
    // A task's exit adds its counters (tokio-console's columns).
    for (const e of outcome.trace.events) {
      const where = e.line === undefined ? '' : ` ${file}:${e.line}${e.column === undefined ? '' : `:${e.column}`}`;
      const task = e.task === undefined ? '' : ` ${e.task.outcome}, polls ${e.task.polls}, wakes ${e.task.wakes}, busy ${e.task.busyMicros} µs`;
      const atomic = e.atomic === undefined ? '' : ` ${e.atomic.before ?? '(stored)'} -> ${e.atomic.after ?? '?'}`;
      process.stderr.write(`trace ${e.time} [${e.thread}] ${e.kind} @${e.object}${where}${task}${atomic}\n`);
    }
    if (outcome.trace.dropped > 0) process.stderr.write(`trace: ${outcome.trace.dropped} events dropped (the trace was full)\n`);
  }
  supervisor.dispose();
  if (options.call && outcome.status === 'ok') process.stdout.write(`${options.call.name} returned ${show(outcome.value)}\n`);
  switch (outcome.status) {
    case 'ok':
      return 0;
    case 'panic':
    case 'compile-error':
    case 'deadlock':
      return 1;
    default:
      return 2;
  }
}

async function main(): Promise<void> {
  // `weft run prog.ts | head`: the reader has seen what they wanted; end quietly, as a Rust program ends on a closed pipe.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        timeout: { type: 'string' },
        threads: { type: 'boolean', default: false },
        seed: { type: 'string' },
        trace: { type: 'boolean', default: false },
        timeline: { type: 'string' },
        schedule: { type: 'string' },
        file: { type: 'string' },
        call: { type: 'string' },
        args: { type: 'string' },
        all: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    fail(`weft: ${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [command, file, ...rest] = positionals;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    if (command === 'check' && file !== undefined && rest.length === 0) {
      process.exitCode = await checkCommand(file, values.file, out);
      return;
    }
    if (command === 'hint' && file !== undefined && rest.length === 0) {
      process.exitCode = hintCommand(file, values.all ?? false, out);
      return;
    }
    if (command === 'watch' && file === undefined) {
      process.exitCode = await watchCommand(out);
      process.exit();
    }
    if (command === 'list' && file === undefined) {
      process.exitCode = listCommand(out);
      return;
    }
    if (command === 'export' && file !== undefined && rest.length === 0) {
      process.exitCode = exportCommand(file, out);
      return;
    }
    if (command === 'import' && file !== undefined && rest.length === 0) {
      process.exitCode = importCommand(file, out);
      return;
    }
  } catch (error) {
    if (error instanceof UsageError) fail(`weft: ${error.message}`);
    throw error;
  }
  if (command !== 'run' || file === undefined || rest.length > 0) fail(USAGE);
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout);
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) fail(`weft: --timeout needs a positive number of milliseconds, got '${values.timeout}'`);
  }
  const options: RunOptions = timeoutMs === undefined ? {} : { timeoutMs };
  if (values.seed !== undefined) {
    // Digits only: Number() read '' as seed 0 (a run under a seed the reader never asked for) and '0x10' or '1e3' as others.
    const seed = /^\d+$/.test(values.seed) ? Number(values.seed) : NaN;
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) fail(`weft: --seed needs a whole number from 0 to 4294967295, got '${values.seed}'`);
    options.seed = seed;
  }
  if (values.schedule !== undefined) {
    if (values.schedule !== 'random' && values.schedule !== 'pct') fail(`weft: --schedule is 'random' or 'pct', got '${values.schedule}'`);
    if (options.seed === undefined) fail('weft: --schedule needs --seed');
    options.schedule = values.schedule;
  }
  if (values.trace) options.trace = true;
  if (values.args !== undefined && values.call === undefined) fail('weft: --args needs --call');
  if (values.call !== undefined) {
    let args: unknown;
    try {
      args = JSON.parse(values.args ?? '[]');
    } catch (error) {
      fail(`weft: --args must be a JSON array, like '[[1, 2], "a"]': ${(error as Error).message}`);
    }
    if (!Array.isArray(args)) fail(`weft: --args must be a JSON array of the arguments, got ${values.args}`);
    options.call = { name: values.call, args };
  }
  if (values.timeline !== undefined && !/\.html?$/i.test(values.timeline)) fail(`weft: --timeline writes an HTML file: give it a name ending in .html, got '${values.timeline}'`);
  // The program runs in a child process this one watches, so even V8 aborting on a heap blow-up ends with a weft message (guard.ts).
  if (!inGuardedChild()) {
    process.exitCode = await runGuarded(process.argv[1]!, process.argv.slice(2));
    return;
  }
  process.exitCode = await run(file, options, values.threads ?? false, values.timeline);
}

await main();
