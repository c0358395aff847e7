/**
 * How the editor's TypeScript sees a reader's program, in one place shared by
 * the page (monaco-setup.ts), the editor's TypeScript worker
 * (weft-typescript-worker.ts) and the test that type-checks every example and
 * exercise exactly as the editor does (tests/unit/components/editor/types.test.ts).
 * No Monaco and no TypeScript imports: plain data and functions.
 */

/**
 * Where weft's declarations appear to the TypeScript service. An example's model
 * lives at file:///example-N.ts, so module resolution finds `weft/thread`
 * at /node_modules/weft/thread.d.ts, exactly as it would find an installed package.
 */
export const WEFT_TYPES_ROOT = 'file:///node_modules/weft/';

/** The compiler options the reader's code is checked with (Monaco's `setCompilerOptions`). */
export const EDITOR_COMPILER_OPTIONS = {
  target: 99, // ESNext: the runner's browsers run ES2024 and `using` natively (ARCHITECTURE.md, constraint 3)
  module: 99, // ESNext
  // Bundler (100): Monaco's enum predates it, its TypeScript 5.9 worker knows it.
  moduleResolution: 100, //: `weft/thread` -> node_modules/weft/thread.d.ts
  moduleDetection: 3, // Force: every example is its own module, so two examples' `main` never collide
  // Programmatic options name lib files, not the tsconfig short names. esnext includes
  // esnext.disposable, so `using` type-checks.
  lib: ['lib.esnext.d.ts', 'lib.dom.d.ts'],
  strict: true,
  noEmit: true,
  allowImportingTsExtensions: true, // weft's declarations import './x.ts'
  verbatimModuleSyntax: true,
  skipLibCheck: true,
  allowNonTsExtensions: true,
} as const;

/** TypeScript's "'{0}' is declared but its value is never read." */
export const DECLARED_BUT_NEVER_READ = 6133;

/** The little of a TypeScript SourceFile that `isUnusedMain` reads. */
export interface StatementsOf {
  statements: ReadonlyArray<{ kind: number; name?: { text?: string; pos: number; end: number } | undefined }>;
}

/**
 * True for TypeScript's "'main' is declared but its value is never read" on a
 * top-level `function main`: the runner calls `main`, as Rust's runtime does,
 * so the compile step treats it as used and the editor must too. Any other
 * unused name (a `main` inside a block, an unused `const`) is still reported.
 * `functionDeclarationKind` is `ts.SyntaxKind.FunctionDeclaration` of the
 * TypeScript at hand.
 */
export function isUnusedMain(
  diagnostic: { code: number; start?: number | undefined },
  file: StatementsOf,
  functionDeclarationKind: number,
): boolean {
  const start = diagnostic.start;
  if (diagnostic.code !== DECLARED_BUT_NEVER_READ || start === undefined) return false;
  // A node's span starts before its leading spaces and comments; the diagnostic, at the name itself.
  return file.statements.some(
    (statement) => statement.kind === functionDeclarationKind && statement.name?.text === 'main' && statement.name.pos <= start && start < statement.name.end,
  );
}
