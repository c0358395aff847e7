/**
 * The progress page's behaviour: fills each exercise's row from the stored
 * progress, and exports and imports progress and drafts as a JSON file
 * (src/progress/export-file.ts), saying what was wrong with a file that
 * cannot be imported.
 */
import { importSnapshot, onProgressChange, readAllProgress, readSnapshot } from '../../progress/store.ts';
import { continueWith, statusOf, type ExerciseProgress } from '../../progress/schema.ts';
import { exportFileName, ImportError, parseExportFile, toExportFile } from '../../progress/export-file.ts';

const page = document.querySelector<HTMLElement>('.progress-page')!;
const message = page.querySelector<HTMLElement>('.progress-backup__message')!;
const error = page.querySelector<HTMLElement>('.progress-backup__error')!;
const exportButton = page.querySelector<HTMLButtonElement>('button[data-action="export"]')!;
const importButton = page.querySelector<HTMLButtonElement>('button[data-action="import"]')!;
const fileInput = page.querySelector<HTMLInputElement>('input[type="file"]')!;

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const when = (ms: number | undefined) => (ms === undefined ? '–' : timeFormat.format(ms));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function say(text: string, isError = false): void {
  message.textContent = isError ? '' : text;
  error.textContent = isError ? text : '';
}

function fillRow(row: HTMLTableRowElement, progress: ExerciseProgress | undefined): void {
  const cell = (field: string) => row.querySelector<HTMLElement>(`[data-field="${field}"]`)!;
  const status = statusOf(progress);
  const label = document.createElement('span');
  label.className = 'progress-status';
  label.dataset.status = status;
  label.textContent = status === 'solved' ? 'Solved' : status === 'attempted' ? 'In progress' : 'Not started';
  const notes: string[] = [];
  if (progress?.passedAt !== undefined) notes.push(`on ${dateFormat.format(progress.passedAt)}`);
  if (progress?.solutionRevealedAt !== undefined) notes.push('solution seen');
  const cellContent: Node[] = [label];
  if (notes.length > 0) {
    const note = document.createElement('span');
    note.className = 'progress-status__note';
    note.textContent = notes.join(', ');
    cellContent.push(note);
  }
  cell('status').replaceChildren(...cellContent);
  cell('attempts').textContent = String(progress?.attempts ?? 0);
  cell('hints').textContent = `${Math.min(progress?.hintsShown ?? 0, Number(row.dataset.hints))} of ${row.dataset.hints}`;
  const last = cell('last');
  last.textContent = when(progress?.lastAttemptAt);
  if (progress?.firstAttemptAt !== undefined && progress.firstAttemptAt !== progress.lastAttemptAt) {
    // How long the reader has been at it: the first Check, under the last one.
    const first = document.createElement('span');
    first.className = 'progress-status__note';
    first.textContent = `first ${when(progress.firstAttemptAt)}`;
    last.append(first);
  }
}

async function fillRows(): Promise<void> {
  let progress: Map<string, ExerciseProgress>;
  try {
    progress = await readAllProgress();
  } catch (problem) {
    say(`This browser won't let the book read its storage, so your progress can't be shown (${describe(problem)}).`, true);
    return;
  }
  const rows = [...page.querySelectorAll<HTMLTableRowElement>('tr[data-exercise]')];
  for (const row of rows) fillRow(row, progress.get(row.dataset.exercise!));
  showContinue(rows, progress);
}

/** "Continue with …": the first exercise not solved yet, in book order (schema.ts continueWith, as the CLI's `list` says it). */
function showContinue(rows: HTMLTableRowElement[], progress: Map<string, ExerciseProgress>): void {
  const line = page.querySelector<HTMLElement>('[data-continue]');
  if (!line) return;
  const next = continueWith(rows.map((row) => row.dataset.exercise!), [...progress.values()]);
  const row = rows.find((r) => r.dataset.exercise === next);
  const source = row?.querySelector<HTMLAnchorElement>('th a');
  line.hidden = !source;
  if (!source) return;
  const link = line.querySelector('a')!;
  link.href = source.href;
  link.textContent = source.textContent ?? next!;
}

function describe(problem: unknown): string {
  return problem instanceof Error ? problem.message : String(problem);
}

async function exportProgress(): Promise<void> {
  try {
    const snapshot = await readSnapshot();
    const file = toExportFile(snapshot);
    const name = exportFileName();
    const url = URL.createObjectURL(new Blob([`${JSON.stringify(file, null, 2)}\n`], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    say(`Exported ${plural(snapshot.exercises.length, 'exercise')} and ${plural(snapshot.drafts.length, 'draft')} to ${name}.`);
  } catch (problem) {
    say(`The export failed: ${describe(problem)}`, true);
  }
}

async function importProgress(file: File): Promise<void> {
  say('');
  let snapshot;
  try {
    snapshot = parseExportFile(await file.text());
  } catch (problem) {
    const why = problem instanceof ImportError ? problem.message : `It could not be read: ${describe(problem)}`;
    say(`Nothing was imported from ${file.name}. ${why}`, true);
    return;
  }
  const known = new Set([...page.querySelectorAll<HTMLElement>('tr[data-exercise]')].map((row) => row.dataset.exercise!));
  const unknown = snapshot.exercises.map((p) => p.id).filter((id) => !known.has(id));
  try {
    await importSnapshot(snapshot);
  } catch (problem) {
    say(`The import failed while saving: ${describe(problem)}`, true);
    return;
  }
  const extra = unknown.length > 0 ? ` (${plural(unknown.length, 'exercise')} in it ${unknown.length === 1 ? 'is' : 'are'} not in this book: ${unknown.join(', ')}; kept in case ${unknown.length === 1 ? 'it comes' : 'they come'} back)` : '';
  say(`Imported ${plural(snapshot.exercises.length, 'exercise')} and ${plural(snapshot.drafts.length, 'draft')} from ${file.name}${extra}.`);
  await fillRows();
}

exportButton.addEventListener('click', () => void exportProgress());
importButton.addEventListener('click', () => fileInput.click());
fileInput.addEventListener('change', () => {
  const file = fileInput.files?.[0];
  fileInput.value = '';
  if (file) void importProgress(file);
});
exportButton.disabled = false;
importButton.disabled = false;
onProgressChange(() => void fillRows());
void fillRows();
