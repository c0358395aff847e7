/**
 * Step 4: the whole program as one script, and its map.
 *
 *   line 1     (function (__weft) {"use strict";          (async function … with top-level await)
 *   line N+1   line N of the reader's program, rewritten in place
 *   trailer    ;return { main: main, closures: [ …factories… ], exports: { … } };
 *              })
 *              //# sourceURL=main.ts
 *
 * A function rather than a module, so the runner evaluates it with indirect
 * eval in any worker (browser or Node) and hands it weft. Line 1 holds only
 * the wrapper, so generated line N+1 is line N of the reader's program and
 * stack traces are readable even before mapping. The trailer sits after every
 * top-level declaration, so `main` and the closure factories see them all.
 * `sourceURL` names the script in V8 stack frames (`main.ts:LINE:COL`).
 */
import { Bundle } from 'magic-string';
import type MagicString from 'magic-string';
import type { Closure } from './closures.ts';
import { closureFactory } from './lift.ts';
import type { ExportedName } from './module-syntax.ts';
import type { RawSourceMap } from './source-map.ts';

export interface WrapOptions {
  isAsync: boolean;
  filename: string;
}

const STRIPPED_SOURCE = 'stripped.js';

export function wrapProgram(
  s: MagicString,
  closures: Closure[],
  exported: ExportedName[],
  options: WrapOptions,
): { code: string; map: RawSourceMap } {
  const bundle = new Bundle({ separator: '' });
  bundle.prepend(`(${options.isAsync ? 'async ' : ''}function (__weft) {"use strict";\n`);
  bundle.addSource({ filename: STRIPPED_SOURCE, content: s });
  bundle.append('\n;return { main: main, closures: [\n');
  for (const closure of closures) {
    bundle.addSource({ filename: STRIPPED_SOURCE, content: closureFactory(s, closure).append(',\n') });
  }
  const exports = exported.map(({ exported, local }) => `${JSON.stringify(exported)}: ${local}`).join(', ');
  bundle.append(`], exports: { ${exports} } };\n})\n//# sourceURL=${options.filename.replace(/\s/g, '_')}`);

  const map = bundle.generateMap({ hires: true });
  return {
    code: bundle.toString(),
    map: { version: 3, sources: map.sources.map(String), names: map.names, mappings: map.mappings },
  };
}
