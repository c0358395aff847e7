/**
 * The wire protocol between the supervisor (the page, or the Node CLI) and
 * the workers of a run. Every message kind is named once, here; both sides
 * import this file. No imports, so it stays a plain description.
 *
 * Control of the program's main thread (run, and its result) goes over
 * comlink on a dedicated MessagePort; everything else is these messages on
 * the worker's own port.
 */

export interface SourceLocation {
  line: number;
  column: number;
}

/** A compiled program as every worker of a run needs it. */
export interface ProgramPayload {
  code: string;
  /** The compile step's position map (JSON). */
  map: unknown;
}

export interface SpawnRequestPayload {
  threadId: number;
  closureId: number;
  capturesPtr: number;
  capturesLen: number;
  name: string | undefined;
  scoped: boolean;
}

/** Supervisor -> worker. */
export type ToWorker =
  /** Become the main thread of a run; the comlink API is exposed on `port`. */
  | { kind: 'control'; port: MessagePort }
  /** Become spawned thread `request.threadId` of the run whose memory is `memory`. */
  | { kind: 'start-thread'; memory: SharedArrayBuffer; program: ProgramPayload; request: SpawnRequestPayload };

/** Worker -> supervisor. */
export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'program'; program: ProgramPayload }
  | { kind: 'spawn'; request: SpawnRequestPayload }
  | { kind: 'output'; seq: number; threadId: number; thread: string; stream: 'log' | 'info' | 'warn' | 'error' | 'debug'; text: string }
  | {
      kind: 'panic';
      seq: number;
      threadId: number;
      thread: string;
      name: string;
      message: string;
      location: SourceLocation | undefined;
    }
  | { kind: 'thread-exit'; threadId: number }
  /** The runtime itself failed: a bug in weft, not in the reader's program. */
  | { kind: 'fatal'; message: string };

/** What the main thread's `run` returns over comlink. */
export interface MainResult {
  status: 'ok' | 'panic' | 'compile-error';
  error?: { name: string; message: string; location?: SourceLocation; thread?: string };
  /** Console lines numbered below this were written before main returned; later ones are cut, as when a Rust process exits. */
  outputSeqEnd: number;
}

/** The API the main-thread worker exposes over comlink. */
export interface MainApi {
  run(source: string, memory: SharedArrayBuffer): Promise<MainResult>;
}
