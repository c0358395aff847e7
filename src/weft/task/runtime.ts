/**
 * The executor, Tokio's current-thread runtime: moved whole to
 * runtime/scheduler.ts, to be split there into Tokio's pieces.
 */
export * from './runtime/scheduler.ts';
