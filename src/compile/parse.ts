/**
 * Step 2: parse the type-stripped code (acorn), for the rewrites that follow.
 *
 * Sucrase only tokenizes as much as it needs to delete types, so some errors
 * (a `const` declared twice, `await` outside an async function, a `using`
 * without an initializer) are found only here. They are reported at the
 * reader's position through the stripped-code map (line-alignment.ts).
 */
import { parse, type Program } from 'acorn';
import { CompileError } from './errors.ts';
import { mapStrippedLocation, type RawSourceMap } from './source-map.ts';

export function parseStripped(code: string, strippedMap: RawSourceMap): Program {
  try {
    return parse(code, {
      ecmaVersion: 'latest', // includes `using` and `await using` (acorn >= 8.15)
      sourceType: 'module',
      allowAwaitOutsideFunction: true,
      locations: true,
    });
  } catch (error) {
    if (!(error instanceof SyntaxError) || !('loc' in error)) throw error;
    const loc = error.loc as { line: number; column: number };
    const at = mapStrippedLocation(strippedMap, loc.line, loc.column) ?? { line: loc.line, column: loc.column + 1 };
    const message = error.message.replace(/ \(\d+:\d+\)$/, '');
    throw CompileError.syntaxError(message, at.line, at.column);
  }
}
