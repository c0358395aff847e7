/**
 * One file for Node's run workers, for hosts that start hundreds of them.
 *
 * A worker loaded from the TypeScript sources (worker/program-worker.node.ts)
 * has Node strip and compile ~60 modules: 130–180 ms to `ready` on the 2-core
 * machine even with the compile cache. The same code bundled into one
 * module by esbuild (already here as Vite's) is ready in ~50 ms. Grading
 * starts a fresh worker for every thread of every run (a run never inherits
 * another's globals, grade.ts "Integrity"), so the tests and the CLI's
 * graders use the bundle; a single `run` keeps loading the sources, which is
 * cheaper than bundling for two workers.
 *
 * The bundle is the sources' code, unchanged: built on demand into the OS
 * temp folder under the hash of its own text, so a changed source gives a
 * new file and two processes never write the same name with different text.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The environment variable through which a test runner hands the built bundle to its test processes. */
export const WORKER_BUNDLE_ENV = 'WEFT_WORKER_BUNDLE';

/**
 * Builds (or finds) the bundled worker and returns its file URL. The entry
 * it writes turns Node's compile cache on first, as the source entry does,
 * then imports the bundle.
 */
export async function buildWorkerBundle(): Promise<URL> {
  const { build } = await import('esbuild');
  const source = fileURLToPath(new URL('./worker/program-worker-entry.node.ts', import.meta.url));
  const result = await build({
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    write: false,
    logLevel: 'silent',
    // Stack frames of weft itself keep their names (a panic report reads them).
    keepNames: true,
  });
  const code = result.outputFiles[0]!.contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'weft-worker');
  mkdirSync(dir, { recursive: true });
  const bundle = join(dir, `program-worker-${hash}.mjs`);
  const entry = join(dir, `entry-${hash}.mjs`);
  if (!existsSync(bundle)) writeAtomically(bundle, code);
  if (!existsSync(entry)) {
    writeAtomically(
      entry,
      `import { enableCompileCache } from 'node:module';\nenableCompileCache?.();\nawait import(${JSON.stringify(pathToFileURL(bundle).href)});\n`,
    );
  }
  return pathToFileURL(entry);
}

/** The bundle a test runner built for this process, if any. */
export function bundledWorkerFromEnv(): URL | undefined {
  const href = process.env[WORKER_BUNDLE_ENV];
  return href ? new URL(href) : undefined;
}

function writeAtomically(path: string, contents: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}
