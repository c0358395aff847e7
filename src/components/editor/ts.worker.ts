/**
 * The editor's TypeScript worker entry (monaco-setup.ts starts it for the
 * `typescript` label): Monaco's worker protocol, serving WeftTypeScriptWorker
 * instead of Monaco's own class. Named like Monaco's (`ts.worker`), so its
 * chunk is found as the editor's TypeScript worker (the offline cache, the
 * budgets' "no editor chunk on Run").
 */
import { initialize } from 'monaco-editor/internal/common/initialize.js';
import { WeftTypeScriptWorker } from './weft-typescript-worker.ts';

self.onmessage = () => {
  initialize((ctx, createData) => new WeftTypeScriptWorker(ctx, createData));
};
