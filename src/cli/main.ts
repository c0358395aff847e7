/**
 * The weft command line: runs a program exactly as the book's page does —
 * the same compile step, the same supervisor and workers, the same weft —
 * over Node's worker_threads.
 *
 *   npm run weft -- run <file.ts> [--timeout ms] [--threads]
 *
 * Output lines go to stdout (with --threads, each prefixed by its thread's
 * name); errors go to stderr as `file:line:column: message`. The exit code is
 * 0 when main returns, 1 on a panic or compile error, 2 on a timeout or a
 * runtime failure, 64 on bad usage.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createNodeSupervisor } from '../runner/node-host.ts';
import type { RunEvent } from '../runner/events.ts';

const USAGE = `usage: npm run weft -- run <file.ts> [--timeout ms] [--threads]

  run <file.ts>    compile and run a program (it needs a main function)
  --timeout ms     stop the program after ms milliseconds (default 10000)
  --threads        prefix every output line with the name of its thread`;

function fail(message: string, code = 64): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function run(file: string, timeoutMs: number | undefined, labelThreads: boolean): Promise<number> {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`weft: cannot read ${file}: ${(error as Error).message}`, 66);
  }
  const supervisor = createNodeSupervisor();
  const onEvent = (event: RunEvent) => {
    switch (event.kind) {
      case 'output': {
        const line = labelThreads ? `[${event.thread}] ${event.text}` : event.text;
        (event.stream === 'error' || event.stream === 'warn' ? process.stderr : process.stdout).write(`${line}\n`);
        return;
      }
      case 'error': {
        const where = event.error.location ? `${file}:${event.error.location.line}:${event.error.location.column}: ` : `${file}: `;
        process.stderr.write(`${where}${event.error.name}: ${event.error.message}\n`);
        return;
      }
      case 'end':
        if (event.outcome.status !== 'ok') process.stderr.write(`weft: ${event.outcome.message}\n`);
        return;
    }
  };
  const outcome = await supervisor.startRun(source, timeoutMs === undefined ? {} : { timeoutMs }, onEvent).done;
  supervisor.dispose();
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
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        timeout: { type: 'string' },
        threads: { type: 'boolean', default: false },
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
  if (command !== 'run' || file === undefined || rest.length > 0) fail(USAGE);
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout);
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) fail(`weft: --timeout needs a positive number of milliseconds, got '${values.timeout}'`);
  }
  process.exitCode = await run(file, timeoutMs, values.threads ?? false);
}

await main();
