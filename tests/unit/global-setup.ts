/**
 * Once per `vitest run`: the run worker as one bundled file
 * (src/runner/node-worker-bundle.ts), handed to every test process through
 * the environment. Thousands of runs start a worker per thread; loading one
 * file instead of ~60 TypeScript modules makes each start ~3x cheaper.
 * tests/unit/runner/worker-bundle.test.ts runs programs on the source entry too.
 */
import { buildWorkerBundle, WORKER_BUNDLE_ENV } from '../../src/runner/node-worker-bundle.ts';

export default async function setup(): Promise<void> {
  process.env[WORKER_BUNDLE_ENV] ??= (await buildWorkerBundle()).href;
}
