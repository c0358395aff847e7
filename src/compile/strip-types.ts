/**
 * Step 1: TypeScript -> JavaScript by deleting types (sucrase).
 *
 * Sucrase only removes type syntax and lowers the few TypeScript constructs
 * that have runtime meaning (enums, parameter properties). It keeps every line
 * where it was, so line N of its output is line N of the reader's source; the
 * columns are mapped by line-alignment.ts. `disableESTransforms` keeps modern
 * syntax (`using`, class fields, `?.`) as written: the workers run it natively.
 */
import { transform } from 'sucrase';
import { CompileError } from './errors.ts';
import { alignLines } from './line-alignment.ts';
import type { RawSourceMap } from './source-map.ts';

export interface StrippedProgram {
  code: string;
  map: RawSourceMap;
}

export function stripTypes(source: string, filename: string): StrippedProgram {
  let code: string;
  try {
    code = transform(source, {
      transforms: ['typescript'],
      disableESTransforms: true,
      keepUnusedImports: true,
      filePath: filename,
    }).code;
  } catch (error) {
    throw syntaxError(error, source, filename);
  }
  return { code, map: alignLines(source, code, filename) };
}

/** Sucrase's `Error transforming main.ts: Unexpected token (3:7)` -> CompileError at 3:7. */
function syntaxError(error: unknown, source: string, filename: string): unknown {
  if (!(error instanceof Error) || !('pos' in error) || typeof error.pos !== 'number') return error;
  const pos = error.pos;
  let message = error.message
    .replace(`Error transforming ${filename}: `, '')
    .replace(/ \(\d+:\d+\)$/, '');
  if (pos >= source.trimEnd().length) {
    message = 'the program ends too early: a closing `}`, `)` or `]` is probably missing';
  } else if (message.startsWith('Unexpected token')) {
    const token = /^(\w+|\S)/.exec(source.slice(pos))?.[0] ?? '';
    message = `unexpected \`${token}\`${message.slice('Unexpected token'.length)}`;
  }
  const { line, column } = lineAndColumn(source, Math.min(pos, source.length));
  return CompileError.syntaxError(message, line, column);
}

/** Offset -> 1-based line and column. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
