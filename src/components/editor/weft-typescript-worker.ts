/**
 * The editor's TypeScript worker: Monaco's own, with one difference. The
 * runner calls `main`, so a top-level `function main` is never "declared but
 * its value is never read" (TypeScript's 6133, which Monaco greys out); every
 * other diagnostic is Monaco's, unchanged (editor-typescript.ts says why).
 *
 * A module, not the worker's entry (ts.worker.ts is), so the
 * unit tests run this very class in Node, with the page's compiler options
 * and weft declarations.
 */
import { TypeScriptWorker, type WorkerDiagnostic } from 'monaco-editor/languages/features/typescript/tsWorker.js';
import { typescript as ts } from 'monaco-editor/languages/features/typescript/lib/typescriptServices.js';
import { isUnusedMain } from './editor-typescript.ts';

export class WeftTypeScriptWorker extends TypeScriptWorker {
  override async getSuggestionDiagnostics(fileName: string): Promise<WorkerDiagnostic[]> {
    const diagnostics = await super.getSuggestionDiagnostics(fileName);
    const file = this.getLanguageService().getProgram()?.getSourceFile(fileName);
    if (file === undefined) return diagnostics;
    return diagnostics.filter((diagnostic) => !isUnusedMain(diagnostic, file, ts.SyntaxKind.FunctionDeclaration));
  }
}
