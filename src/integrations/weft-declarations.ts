/**
 * weft's declarations for the editor: `.d.ts` files emitted from src/weft by
 * the TypeScript the editor itself checks with (Monaco's), then stripped of
 * everything private to a class.
 *
 * Why declarations and not weft's sources: a class with `#private` or
 * `private`/`protected` members is nominal, so an `Arc<Mutex<number>>` (which
 * derefs to the Mutex at run time, as in Rust) was "not assignable to
 * `Mutex<number>`" in the editor though the program compiles and runs; and
 * hovers listed `#addr`, `#views`… With public members only, weft's classes
 * are as structural as the compile step treats them, and a hover shows what
 * a reader may use. Declarations are also a third of the sources' size.
 *
 * Node only: the Vite plugin below serves them to the page as
 * `virtual:weft-declarations`; tests/unit/components/editor/types.test.ts checks every
 * example and exercise against the same output.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { libFileMap } from 'monaco-editor/languages/features/typescript/lib/lib.js';
import { typescript as ts } from 'monaco-editor/languages/features/typescript/lib/typescriptServices.js';
import { EDITOR_COMPILER_OPTIONS } from '../components/editor/editor-typescript.ts';

export const WEFT_SOURCE_DIR = fileURLToPath(new URL('../weft/', import.meta.url));

/** weft's sources by path relative to src/weft (`sync/mutex.ts`), tests excluded. */
export function readWeftSources(dir: string = WEFT_SOURCE_DIR): Record<string, string> {
  const sources: Record<string, string> = {};
  for (const file of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file.endsWith('.d.ts')) continue;
    sources[file.split(sep).join('/')] = readFileSync(join(dir, file), 'utf8');
  }
  return sources;
}

const ROOT = '/weft/';

/**
 * `sync/mutex.ts` -> the text of `sync/mutex.d.ts`, for every source. Throws
 * when TypeScript cannot emit them (a declaration it cannot write, an error).
 */
export function emitWeftDeclarations(sources: Record<string, string> = readWeftSources()): Record<string, string> {
  const options = {
    ...EDITOR_COMPILER_OPTIONS,
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    types: [],
  };
  const text = (name: string): string | undefined => (name.startsWith(ROOT) ? sources[name.slice(ROOT.length)] : libFileMap[name.replace(/^\//, '')]);
  const out: Record<string, string> = {};
  const host = {
    getSourceFile: (name: string, languageVersion: unknown) => {
      const content = text(name);
      return content === undefined ? undefined : ts.createSourceFile(name, content, languageVersion);
    },
    getDefaultLibFileName: () => '/lib.esnext.full.d.ts',
    writeFile: (name: string, content: string) => {
      out[name.slice(ROOT.length)] = content;
    },
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (name: string) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (name: string) => text(name) !== undefined,
    readFile: (name: string) => text(name),
    directoryExists: () => true,
    getDirectories: () => [],
  };
  const program = ts.createProgram(
    Object.keys(sources).map((file) => ROOT + file),
    options,
    host,
  );
  const result = program.emit(undefined, undefined, undefined, true, { afterDeclarations: [publicMembersOnly] });
  const problems = [...program.getSyntacticDiagnostics(), ...result.diagnostics].map(
    (d: { file?: { fileName: string }; messageText: unknown }) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
  );
  if (result.emitSkipped || problems.length > 0) throw new Error(`weft's declarations could not be emitted:\n${problems.join('\n')}`);
  return out;
}

/** A declaration transformer: drops `#private` (and TypeScript `private`/`protected`) class members. */
function publicMembersOnly(context: { factory: any }) {
  const { factory } = context;
  const hidden = (member: any): boolean =>
    (member.name !== undefined && ts.isPrivateIdentifier(member.name)) ||
    (member.modifiers ?? []).some((m: any) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
  const visit = (node: any): any => {
    if (ts.isClassDeclaration(node)) {
      const members = node.members.filter((member: any) => !hidden(member));
      return factory.updateClassDeclaration(node, node.modifiers, node.name, node.typeParameters, node.heritageClauses, members);
    }
    return ts.visitEachChild(node, visit, context);
  };
  return (file: any) => ts.visitEachChild(file, visit, context);
}

const VIRTUAL = 'virtual:weft-declarations';
const RESOLVED = '\0' + VIRTUAL;

/**
 * Vite plugin: `import declarations from 'virtual:weft-declarations'` is
 * `{ 'sync/mutex.d.ts': '…' }`. Emitted once per build, and again in the dev
 * server after a file of src/weft changes.
 */
export function weftDeclarations(): Plugin {
  let cached: string | undefined;
  return {
    name: 'weft:declarations',
    resolveId: (id) => (id === VIRTUAL ? RESOLVED : null),
    load(id) {
      if (id !== RESOLVED) return null;
      cached ??= `export default ${JSON.stringify(emitWeftDeclarations())};`;
      return cached;
    },
    configureServer(server) {
      server.watcher.on('change', (file) => {
        if (!relative(WEFT_SOURCE_DIR, file).startsWith('..')) {
          cached = undefined;
          const module = server.moduleGraph.getModuleById(RESOLVED);
          if (module) server.moduleGraph.invalidateModule(module);
        }
      });
    },
  };
}
