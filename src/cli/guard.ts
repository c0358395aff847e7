/**
 * `weft run` runs the program in a child Node process and watches it.
 *
 * Why: each thread's worker has a heap limit (runner/node-host.ts), and
 * usually reaching it ends just that worker with a weft message. But Node
 * enforces it on a best-effort basis: some allocations (`push` onto one
 * huge array, one `new Array(1e8)`) make V8 abort the whole process with
 * "FATAL ERROR … heap out of memory" and exit code 134
 * (https://github.com/nodejs/node/issues/47224). A reader must get a weft
 * message instead, so the process that can abort is not the one that
 * reports: this parent passes output through, hides V8's crash report, and
 * says what happened.
 */
import { spawn } from 'node:child_process';

/** Set in the child's environment: it runs the program itself. */
const CHILD = 'WEFT_RUN_CHILD';

export function inGuardedChild(): boolean {
  return process.env[CHILD] === '1';
}

/** V8's report of a fatal out-of-memory starts with one of these lines. */
const V8_REPORT = /^(<--- Last few GCs --->|FATAL ERROR: .*(heap out of memory|Allocation failed))/;

/** Runs this same command in a child process; resolves to the exit code the reader should get. */
export function runGuarded(script: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
      env: { ...process.env, [CHILD]: '1' },
      stdio: ['inherit', 'inherit', 'pipe'],
    });
    let pending = '';
    let held: string[] | undefined;
    let outOfMemory = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (held === undefined && V8_REPORT.test(line)) held = [];
        if (held !== undefined) {
          held.push(line);
          if (/heap out of memory|Allocation failed/.test(line)) outOfMemory = true;
        } else process.stderr.write(`${line}\n`);
      }
    });
    child.on('close', (code, signal) => {
      if (outOfMemory && (signal !== null || code === 134)) {
        process.stderr.write(
          'weft: Out of memory: the program used more memory than the JavaScript engine allows, which ended it at once, so the thread cannot be named. Look for a loop that keeps every value it makes.\n',
        );
        resolve(2);
        return;
      }
      // Not a crash after all (the program printed such a line itself): show everything.
      for (const line of held ?? []) process.stderr.write(`${line}\n`);
      if (pending) process.stderr.write(pending);
      resolve(code ?? 2);
    });
  });
}
