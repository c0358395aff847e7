/**
 * Helpers of the compile step's tests (tests/unit/compile/, and the editor's
 * syntax-location test): compile a source and look at what came out — the
 * error it throws, the captures of its lifted closures — or evaluate the
 * compiled program the way the runner does it, with indirect eval, against a
 * fake `__weft` that records lifted closures.
 */
import { compile, CompileError, type CompiledProgram, type ProgramExports } from '../../../src/compile/index.ts';
import { lowerAsync, lowerAsyncOnce, site } from '../../../src/weft/task/async-fn.ts';
import { dispose, disposer, unwinding } from '../../../src/weft/runtime/unwind.ts';
import { discardAwaited } from '../../../src/weft/task/temporary.ts';
import { dropLocal } from '../../../src/weft/runtime/ownership.ts';

/** A program from its lines. */
export const lines = (...text: string[]): string => text.join('\n');

/** A lifted closure as the program handed it to `__weft.lift`. */
export interface LiftCall {
  id: number;
  captures: Record<string, unknown>;
}

/**
 * Evaluates a compiled program with a fake weft: `weft/thread`'s `spawn` runs
 * the closure at once (its `join` returns what it returned), any other module
 * is `modules[specifier]` or empty, and every lifted closure is recorded.
 */
export function evaluate(compiled: CompiledProgram, modules: Record<string, Record<string, unknown>> = {}) {
  const lifts: LiftCall[] = [];
  const thread = { spawn: (fn: () => unknown) => ({ join: () => fn() }) };
  const weft = {
    import: (specifier: string) => modules[specifier] ?? (specifier === 'weft/thread' ? thread : {}),
    lift: (id: number, captures: () => Record<string, unknown>, fn: Function) => {
      lifts.push({ id, captures: captures() });
      return fn;
    },
    async: lowerAsync,
    asyncOnce: lowerAsyncOnce,
    discardAwaited,
    thrown: (value: unknown) => value,
    entered: () => {},
    detach: (value: unknown) => value,
    dropLocal,
    site,
    unwinding,
    disposer,
    dispose,
  };
  const program = (0, eval)(compiled.code) as (w: typeof weft) => ProgramExports;
  return { exports: program(weft), lifts };
}

/** The CompileError `compile(source)` throws; fails when it compiles. */
export function compileError(source: string): CompileError {
  try {
    compile(source);
  } catch (error) {
    if (error instanceof CompileError) return error;
    throw error;
  }
  throw new Error('expected a CompileError');
}

/** The CompileError `compile(source)` throws, as `line:column message`. */
export function compileErrorText(source: string): string {
  const error = compileError(source);
  return `${error.line}:${error.column} ${error.message}`;
}

/** The captures of each lifted closure, by id. */
export const capturesOf = (source: string, liftCallees?: string[]): string[][] => compile(source, { liftCallees }).closures.map((c) => c.captures);
