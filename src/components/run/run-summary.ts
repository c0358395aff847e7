/** The one-line status the output log ends with, from a run's outcome. No DOM. */
import type { RunOutcome } from '../../runner/events.ts';

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

export interface RunSummary {
  /** Short and scannable: "Finished in 12 ms", "Timed out after 10 s". */
  label: string;
  /** The runner's own sentence, when it adds something. */
  detail?: string;
  tone: 'ok' | 'neutral' | 'error';
}

export function summarizeOutcome(outcome: RunOutcome, timeoutMs: number): RunSummary {
  const summary = summarize(outcome, timeoutMs);
  // The runner's sentence often says just what the label says ("Did not compile."): show it once.
  if (summary.detail !== undefined && sameWords(summary.detail, summary.label)) delete summary.detail;
  return summary;
}

function sameWords(a: string, b: string): boolean {
  const words = (text: string) => text.trim().replace(/[.!]+$/, '').toLowerCase();
  return words(a) === words(b);
}

function summarize(outcome: RunOutcome, timeoutMs: number): RunSummary {
  const detail = outcome.message || undefined;
  switch (outcome.status) {
    case 'ok':
      return { label: `Finished in ${formatDuration(outcome.durationMs)}`, tone: 'ok' };
    case 'stopped':
      return { label: 'Stopped', tone: 'neutral' };
    case 'timeout':
      return { label: `Timed out after ${formatDuration(timeoutMs)}`, detail, tone: 'error' };
    case 'panic':
      return { label: 'Panicked', detail, tone: 'error' };
    case 'compile-error':
      return { label: 'Did not compile', detail, tone: 'error' };
    case 'deadlock':
      return { label: 'Deadlock', detail, tone: 'error' };
    case 'out-of-memory':
      return { label: 'Out of memory', detail, tone: 'error' };
    case 'crashed':
      return { label: 'The runtime crashed (a bug in weft, not in your code)', detail, tone: 'error' };
  }
}
