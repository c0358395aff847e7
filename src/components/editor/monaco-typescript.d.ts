/**
 * Types for the parts of Monaco's TypeScript language support that the book
 * uses directly (Monaco ships no declarations for them): its TypeScript
 * (5.9, the one the editor checks with), its lib files, and its worker class.
 * Only what weft-typescript-worker.ts, src/integrations/weft-declarations.ts and the tests read.
 */
declare module 'monaco-editor/languages/features/typescript/lib/typescriptServices.js' {
  /** TypeScript's compiler API, as bundled into Monaco's worker. Untyped: the `typescript` package here is TypeScript 7, which has no JavaScript API. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  export const typescript: any;
}

declare module 'monaco-editor/languages/features/typescript/lib/lib.js' {
  /** TypeScript's lib files by name (`lib.esnext.d.ts` -> its text), as the editor's worker serves them. */
  export const libFileMap: Record<string, string>;
}

declare module 'monaco-editor/languages/features/typescript/tsWorker.js' {
  /** A diagnostic as the worker posts it to the page: the file reduced to its name. */
  export interface WorkerDiagnostic {
    code: number;
    category: number;
    start?: number;
    length?: number;
    messageText: string | { messageText: string; next?: unknown[] };
    file?: { fileName: string };
    reportsUnnecessary?: unknown;
  }
  export interface MirrorModel {
    readonly uri: { toString(skipEncoding?: boolean): string; readonly path: string };
    readonly version: number;
    getValue(): string;
  }
  export interface WorkerContext {
    getMirrorModels(): MirrorModel[];
  }
  export interface CreateData {
    compilerOptions: Record<string, unknown>;
    extraLibs: Record<string, { content: string; version: number }>;
    inlayHintsOptions?: unknown;
    customWorkerPath?: string;
  }
  export class TypeScriptWorker {
    constructor(ctx: WorkerContext, createData: CreateData);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    getLanguageService(): any;
    getSyntacticDiagnostics(fileName: string): Promise<WorkerDiagnostic[]>;
    getSemanticDiagnostics(fileName: string): Promise<WorkerDiagnostic[]>;
    getSuggestionDiagnostics(fileName: string): Promise<WorkerDiagnostic[]>;
    getCompilerOptionsDiagnostics(fileName: string): Promise<WorkerDiagnostic[]>;
    getQuickInfoAtPosition(fileName: string, position: number): Promise<{ displayParts?: { text: string }[] } | undefined>;
  }
}

declare module 'monaco-editor/internal/common/initialize.js' {
  import type { CreateData, WorkerContext } from 'monaco-editor/languages/features/typescript/tsWorker.js';
  /** Starts a Monaco worker: `create` makes the object the page's proxy calls. */
  export function initialize(create: (ctx: WorkerContext, createData: CreateData) => unknown): void;
}

declare module 'virtual:weft-declarations' {
  /** weft's `.d.ts` files by path relative to src/weft (`sync/mutex.d.ts`), private members stripped (src/integrations/weft-declarations.ts). */
  const declarations: Record<string, string>;
  export default declarations;
}
