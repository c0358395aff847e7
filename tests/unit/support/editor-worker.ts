/**
 * The editor's TypeScript worker (WeftTypeScriptWorker: Monaco's worker with
 * the `main` rule, Monaco's TypeScript 5.9) over some models, set up as the
 * page sets it up: the compiler options of editor-typescript.ts and, when
 * given, weft's declarations at the paths the page registers them.
 */
import { EDITOR_COMPILER_OPTIONS, WEFT_TYPES_ROOT } from '../../../src/components/editor/editor-typescript.ts';
import { WeftTypeScriptWorker } from '../../../src/components/editor/weft-typescript-worker.ts';

/** A worker over `models` (uri -> text); `declarations` (path -> text, from emitWeftDeclarations) as extra libs. */
export function editorWorker(models: Record<string, string>, declarations: Record<string, string> = {}): WeftTypeScriptWorker {
  const mirrors = Object.entries(models).map(([uri, text]) => ({ uri: { toString: () => uri, path: new URL(uri).pathname }, version: 1, getValue: () => text }));
  const extraLibs = Object.fromEntries(Object.entries(declarations).map(([path, content]) => [`${WEFT_TYPES_ROOT}${path}`, { content, version: 1 }]));
  return new WeftTypeScriptWorker({ getMirrorModels: () => mirrors }, { compilerOptions: { ...EDITOR_COMPILER_OPTIONS }, extraLibs });
}
