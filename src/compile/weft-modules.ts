/**
 * The modules a reader's program may import: weft's four, as
 * ARCHITECTURE.md's module map names them, and nothing else (no network, no
 * file system). The compile step accepts imports of these only
 * (module-syntax.ts); the program worker hands each one in
 * (runner/worker/program-worker.ts). No imports, so the worker can read the
 * list without loading the compiler.
 */
export const WEFT_MODULES = ['weft/thread', 'weft/sync', 'weft/task', 'weft/par'] as const;

export type WeftModule = (typeof WEFT_MODULES)[number];

export function isWeftModule(specifier: string): specifier is WeftModule {
  return (WEFT_MODULES as readonly string[]).includes(specifier);
}
