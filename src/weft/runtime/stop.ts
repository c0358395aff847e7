/**
 * Stopping a run. The supervisor (or the end of `main`) raises the run's
 * stop flag (H.stop); every blocked wait in weft sleeps at most SLICE_MS at
 * a time, looks at the flag, and throws RunStopped when it is up, so each
 * thread unwinds at its next weft call.
 */

/** The longest a blocking wait sleeps before it looks at the stop flag again (runtime/wait.ts, the seeded scheduler). */
export const SLICE_MS = 50;

/** Thrown inside a thread whose run is being stopped; never shown to the reader. */
export class RunStopped extends Error {
  constructor() {
    super('the run was stopped');
    this.name = 'RunStopped';
  }
}
