/**
 * Node entry of a run's worker (a worker_thread started by the CLI or the
 * tests). Each worker loads weft and the runner from TypeScript sources, which
 * Node strips of their types as it loads them: ~300 ms of CPU per worker on a
 * loaded 2-core machine, and a grading starts hundreds of workers. Node's
 * module compile cache (node:module enableCompileCache, in the OS temp
 * folder, keyed by content) keeps the stripped and compiled code, so later
 * workers skip both (measured: ~3x less CPU per worker). It must be on before
 * the modules load, hence this small file and a dynamic import.
 */
import { enableCompileCache } from 'node:module';

enableCompileCache?.();
await import('./program-worker-entry.node.ts');
