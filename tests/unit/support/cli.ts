/**
 * The `weft` command line as a learner runs it: a real Node process on
 * src/cli/main.ts (tests/unit/cli/, the timeline's and the hostile tests).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The CLI's entry point, for a test that starts the process itself (e.g. `watch`). */
export const CLI = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `weft ...args` to its end: `env` added to this process's environment; no time limit unless `timeout` (ms). */
export function runCli(args: string[], options: { env?: Record<string, string>; timeout?: number } = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    timeout: options.timeout,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
