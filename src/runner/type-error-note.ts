/**
 * What the book says of the type errors in code it is about to run or check:
 * the compile step only strips types, so it runs what Rust would refuse to
 * compile (`let sum: number = "0"` sums "0123"), and the reader is told so
 * first. One wording for the page (its editor's squiggles:
 * components/run/output-log.ts, components/exercise/check-results.ts) and the
 * CLI (the project's tsc: cli/type-check.ts).
 */

/** An error TypeScript marks, 1-based. */
export interface MarkedError {
  line: number;
  column?: number;
  message: string;
}

/**
 * The note, or undefined when there are no errors: how many, and that Rust would not compile the program; `then`
 * says what happens anyway. `inline`: the first error and its line in the sentence (the page); without it the
 * caller lists them itself (the CLI, a `file:line:column` line each).
 */
export function typeErrorNote(errors: readonly MarkedError[], then: string, inline = true): string | undefined {
  if (errors.length === 0) return undefined;
  const first = errors[0]!;
  const what = `TypeScript marks ${errors.length === 1 ? 'an error' : `${errors.length} errors`} in this code`;
  const where = inline ? `: line ${first.line}: ${first.message.split('\n')[0]!.replace(/\.$/, '')}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}` : '';
  return `${what}${where}. Rust would not compile such a program; ${then}.`;
}
