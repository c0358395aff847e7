/**
 * The compile step: the reader's TypeScript -> a script the runner evaluates
 * in every thread's worker. One step shared by the browser runner, the Node
 * CLI and CI, so a program behaves the same everywhere.
 *
 *   1 strip-types.ts   TypeScript -> JavaScript, same lines (sucrase; columns mapped by line-alignment.ts)
 *   2 parse.ts         JavaScript -> ESTree (acorn); scope.ts resolves names
 *   3 module-syntax.ts imports/exports -> plain statements
 *     closures.ts      which closures move into threads, and what they capture
 *     lift.ts          those closures wrapped in place and copied as factories
 *     task-closures.ts async closures spawned as tasks: their captured handles move into the task
 *     async-lowering.ts `async` functions -> lazy futures (generators weft/task polls)
 *     using-unwind.ts   a throw leaving a `using` block tells its guards (they poison, as in Rust)
 *     local-drops.ts    a Mutex, atomic… that a local never lets go is freed at its block's end
 *   4 wrap.ts          one function-shaped script, plus the map back (source-map.ts)
 *
 * Pure computation over strings: no Node or DOM API, so it runs in a browser
 * worker, in Node and under Vite alike.
 */
import MagicString from 'magic-string';
import type { AnyNode } from 'acorn';
import { DEFAULT_LIFT_CALLEES, findClosures, type Locate } from './closures.ts';
import { CompileError } from './errors.ts';
import { rewriteModuleSyntax } from './module-syntax.ts';
import { parseStripped } from './parse.ts';
import { hasMain, hasTopLevelEffects, topLevelMainCall, usesTopLevelAwait } from './program-shape.ts';
import { analyzeScopes, type ScopeAnalysis } from './scope.ts';
import { liftInPlace } from './lift.ts';
import { findParClosures } from './par-closures.ts';
import { findLazyClosures } from './lazy-closures.ts';
import { lowerAsync, refuseDroppedFutures } from './async-lowering.ts';
import { markThrowSites } from './throw-sites.ts';
import { markDetachSites } from './detach-sites.ts';
import { markTemporaryClones } from './temporary-clones.ts';
import { markCallEntries } from './call-entries.ts';
import { findTaskClosures, moveIntoTasks } from './task-closures.ts';
import { mapLocation, mapStack, mapStrippedLocation, type ProgramMap } from './source-map.ts';
import { stripTypes } from './strip-types.ts';
import { wrapProgram } from './wrap.ts';
import { lowerUsingUnwind } from './using-unwind.ts';
import { findLocalDrops } from './local-drops.ts';

export { CompileError, mapLocation, mapStack, DEFAULT_LIFT_CALLEES };
export type { ProgramMap };

export interface CompiledProgram {
  /**
   * A JavaScript *script* (not a module). Indirect eval, `(0, eval)(code)`,
   * yields a function `(weft: WeftImports) => ProgramExports`. When the
   * program uses top-level `await` (see `isAsync`), that function is async and
   * returns `Promise<ProgramExports>`: the runtime must await it before calling
   * `main` or a closure factory. Calling it evaluates the program's top level,
   * once per thread.
   */
  code: string;
  /** Data needed to map positions back (`mapLocation`, `mapStack`); plain JSON, so it can be posted to other workers. */
  map: ProgramMap;
  /** The lifted closures, by id: captured variable names (for messages such as "`counter` was moved into thread 2") and where the closure starts in the reader's source. */
  closures: { id: number; captures: string[]; line: number; column: number }[];
  /**
   * False when evaluating the program again would change nothing (only
   * imports, functions, classes and constant `const`s at the top level): a
   * worker that already evaluated it may then run another of its threads.
   * The exact rule is documented on `hasTopLevelEffects` in program-shape.ts.
   */
  hasTopLevelEffects: boolean;
  /** True when the program uses top-level `await`, so the evaluated function returns a Promise. */
  isAsync: boolean;
  /** Names the program exports (`default` for a default export), as found in `ProgramExports.exports`. */
  exports: string[];
}

/** What the compiled program receives as `__weft`. */
export interface WeftImports {
  /** The module object for `weft`, `weft/thread`, `weft/sync`, `weft/task` or `weft/par`. */
  import(specifier: string): Record<string, unknown>;
  /**
   * Called where a lifted closure is passed (e.g. to `spawn`): its id (an
   * index into `ProgramExports.closures`), a function that reads its captures
   * at that moment, and the closure itself. Returns what the call receives
   * instead of the closure.
   */
  lift(id: number, captures: () => Record<string, unknown>, fn: Function): Function;
  /**
   * The lowered body of an `async` function (async-lowering.ts): a generator
   * function, the `this` and arguments it is called with; returns a lazy
   * Future (weft/task) that runs the body only when polled.
   */
  async(body: GeneratorFunction, self: unknown, args?: ArrayLike<unknown>): unknown;
  /**
   * Wraps an async closure passed to weft/task's `spawn` (task-closures.ts):
   * its line in the reader's source, a function that reads its captures at
   * spawn time, the names the task gets its own binding of, and a factory
   * that rebuilds the closure from those bindings. Returns what the call
   * receives instead of the closure.
   */
  task(line: number, captures: () => Record<string, unknown>, rebound: readonly string[], factory: (moved: Record<string, unknown>) => Function): Function;
  /** Called as a throw leaves a block with `using` declarations, with what was thrown and the resources the block declared (using-unwind.ts): guards then poison their lock if it is a panic. */
  unwinding(error: unknown, ...resources: unknown[]): void;
  /** Where the program awaits: the lowered code stores the reader's line of each `await` here just before it suspends. */
  site: { line: number; column: number };
}

/** What evaluating a compiled program returns (or resolves to, with top-level `await`): what the program worker runs (runner/worker/program-worker.ts). */
export interface ProgramExports {
  main: (...args: unknown[]) => unknown;
  /** `closures[id](captures)` rebuilds lifted closure `id` in a thread, from its moved captures. */
  closures: Array<(captures: Record<string, unknown>) => () => unknown>;
  /** The program's exports by name, for graders that call the reader's functions (RunOptions.call). */
  exports: Record<string, unknown>;
}

export interface CompileOptions {
  /** Names the program is known by in stack frames and messages (`//# sourceURL`). Default `main.ts`. */
  filename?: string;
  /** Calls whose last closure argument moves into a thread, by the callee's final name. Default `DEFAULT_LIFT_CALLEES`. */
  liftCallees?: string[];
}

const MISSING_MAIN = 'a program needs a `main` function, as in Rust: function main() { … }';

const TOP_LEVEL_MAIN_CALL =
  'weft calls `main` for you, once, on the main thread, as Rust does: remove this call. ' +
  'Every thread runs the top level of the program, so a call here would run `main` again in each thread';

/** Throws CompileError, located in the reader's source. */
export function compile(source: string, options: CompileOptions = {}): CompiledProgram {
  try {
    return compileProgram(source, options);
  } catch (error) {
    // The parser and the compile step's walks recurse once per level of nesting: ~10,000 levels of brackets
    // overflowed the stack, and the run ended as "The runner failed: Error transforming main.ts: Maximum call
    // stack size exceeded" (on the page, "a bug in weft"). It is the program's shape, said at its deepest point.
    if (error instanceof RangeError && /call stack/i.test(error.message)) throw tooDeep(source);
    throw error;
  }
}

/** The CompileError for a program nested past what the compile step's stack holds, at its deepest bracket. */
function tooDeep(source: string): CompileError {
  let depth = 0;
  let deepest = { depth: 0, line: 1, column: 1 };
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\n') {
      line++;
      lineStart = i + 1;
    } else if (c === '(' || c === '[' || c === '{') {
      if (++depth > deepest.depth) deepest = { depth, line, column: i - lineStart + 1 };
    } else if (c === ')' || c === ']' || c === '}') depth--;
  }
  return new CompileError(
    `this program is nested too deeply to compile (${deepest.depth} levels of brackets here): the compiler stops past a few thousand levels. ` +
      `Build deep data in a loop instead of writing it out`,
    deepest.line,
    deepest.column,
  );
}

function compileProgram(source: string, options: CompileOptions): CompiledProgram {
  const filename = (options.filename ?? 'main.ts').replace(/[\r\n]/g, '');
  // Only `\n` ends a line in source maps; `\r\n` -> `\n` moves no line or column.
  const stripped = stripTypes(source.replace(/\r\n?/g, '\n'), filename);
  const program = parseStripped(stripped.code, stripped.map);
  const locate: Locate = (node) => {
    const { line, column } = node.loc!.start;
    return mapStrippedLocation(stripped.map, line, column) ?? { line, column: column + 1 };
  };
  const analysis = analyzeScopes(program);
  rejectReservedNames(analysis, locate);

  const s = new MagicString(stripped.code);
  const exported = rewriteModuleSyntax(program, s, stripped.code, locate);
  if (!hasMain(program)) throw new CompileError(MISSING_MAIN, 1, 1);
  const mainCall = topLevelMainCall(program);
  if (mainCall !== null) {
    const { line, column } = locate(mainCall);
    throw new CompileError(TOP_LEVEL_MAIN_CALL, line, column);
  }
  lowerUsingUnwind(program, s, findLocalDrops(program, analysis));
  markThrowSites(program, s);
  markDetachSites(program, s);
  markTemporaryClones(program, s);
  markCallEntries(program, s, exported);
  const closures = findClosures(program, analysis, options.liftCallees ?? DEFAULT_LIFT_CALLEES, locate, [...findParClosures(program, analysis), ...findLazyClosures(program, analysis)]);
  liftInPlace(s, closures);
  moveIntoTasks(s, findTaskClosures(program, analysis, locate));
  refuseDroppedFutures(program, analysis, locate);
  lowerAsync(program, s, stripped.code, locate);

  const isAsync = usesTopLevelAwait(program);
  const wrapped = wrapProgram(s, closures, exported, { isAsync, filename });
  return {
    code: wrapped.code,
    map: { program: wrapped.map, stripped: stripped.map },
    closures: closures.map(({ id, captures, node }) => ({ id, captures, ...locate(node) })),
    hasTopLevelEffects: hasTopLevelEffects(program),
    isAsync,
    exports: exported.map((name) => name.exported),
  };
}

/** `__weft` and `__weft_default` are the compiler's; a program that declares or uses them would break its own wiring. */
function rejectReservedNames(analysis: ScopeAnalysis, locate: Locate): void {
  const ids: AnyNode[] = [...analysis.bindings.map((b) => b.id), ...analysis.references.map((r) => r.id)];
  const reserved = ids.find((id) => id.type === 'Identifier' && id.name.startsWith('__weft'));
  if (reserved !== undefined && reserved.type === 'Identifier') {
    const { line, column } = locate(reserved);
    throw new CompileError(`\`${reserved.name}\`: names starting with \`__weft\` are reserved for the compiler; choose another name`, line, column);
  }
}
