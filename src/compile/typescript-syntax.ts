/**
 * A syntax error where TypeScript reports it. The compile step finds syntax
 * errors with sucrase and acorn, which may stop far from the mistake: a
 * missing `)` inside an arrow function's body is reported at the arrow, lines
 * above, because sucrase backtracks out of it. TypeScript's parser, the one
 * the editor squiggles with, reports the token where the `)` was expected.
 * Where TypeScript is at hand (the editor's worker, on the page), its first
 * syntactic diagnostic gives the place and the words.
 *
 * No TypeScript import: callers pass the diagnostics of the source they
 * compiled (`start` is a UTF-16 offset into it, as TypeScript counts).
 */
import { lineAndColumn } from './strip-types.ts';

export interface SyntaxDiagnostic {
  start?: number | undefined;
  messageText: string | { messageText: string };
  code?: number;
}

export interface SyntaxErrorLocation {
  line: number;
  column: number;
  /** `syntax error: ')' expected`, the compile step's wording around TypeScript's message. */
  message: string;
}

/** TypeScript's first syntax error in `source` (the text its diagnostics are about), or undefined when it found none. */
export function typeScriptSyntaxError(diagnostics: readonly SyntaxDiagnostic[], source: string): SyntaxErrorLocation | undefined {
  const first = diagnostics.filter((d) => d.start !== undefined).sort((a, b) => a.start! - b.start!)[0];
  if (first === undefined) return undefined;
  const text = typeof first.messageText === 'string' ? first.messageText : first.messageText.messageText;
  const { line, column } = lineAndColumn(source, Math.min(first.start!, source.length));
  return { line, column, message: `syntax error: ${text.replace(/\.$/, '')}` };
}
