/**
 * A run's compile error, relocated to where TypeScript's parser reports it
 * (compile/typescript-syntax.ts says why). No DOM, no Monaco.
 */
import type { RunEvent } from '../../runner/events.ts';
import { typeScriptSyntaxError, type SyntaxDiagnostic } from '../../compile/typescript-syntax.ts';

/** True for the compile step's syntax error (ReaderError.syntax: `CompileError: syntax error: …`), the one TypeScript can place better. */
export function isSyntaxCompileError(event: RunEvent): boolean {
  return event.kind === 'error' && event.error.syntax === true;
}

/**
 * The event with TypeScript's place and words for the error, when
 * TypeScript found one in `source` (the program that ran); else unchanged.
 */
export function atTypeScriptLocation(event: RunEvent, diagnostics: readonly SyntaxDiagnostic[], source: string): RunEvent {
  if (!isSyntaxCompileError(event) || event.kind !== 'error') return event;
  const found = typeScriptSyntaxError(diagnostics, source);
  if (found === undefined) return event;
  return { ...event, error: { ...event.error, message: found.message, location: { line: found.line, column: found.column } } };
}
