// Chapter 1, "Threads", as a reader meets it in Chromium: it reads without
// errors, every example prints what the text says it prints, edits run,
// runaway programs stop, and mistakes show up where they were made.

import { join } from 'node:path';
import { matchesExpectation, readExamples } from '../support/chapter-examples.ts';
import { test, expect } from './support/fixtures.ts';
import { errorMarkerLines, example, finishedOutput, replaceCode, status } from './support/examples.ts';

const chapterFile = join(import.meta.dirname, '../../content/01-threads.mdx');
const examples = readExamples(chapterFile);
const CHAPTER = '/threads/';
const STATUS = { ok: /^Finished in /, deadlock: /^Deadlock/, panic: /^Panicked/, 'compile-error': /^Did not compile/ };

test('the chapter renders, is isolated, and loads no editor code before the reader acts', async ({ page, pageErrors }) => {
  const editorRequests: string[] = [];
  page.on('request', (request) => {
    if (/monaco|editor\.main|editor\.worker|ts\.worker/i.test(request.url())) editorRequests.push(request.url());
  });
  await page.goto(CHAPTER);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Threads');
  await expect(page.locator('weft-example')).toHaveCount(examples.length);
  // Sidebar: this chapter is the current one.
  await expect(page.getByRole('navigation').locator('[aria-current="page"]').first()).toContainText('Threads');
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);

  await page.waitForLoadState('networkidle');
  // Hovering the toolbar prewarms the runner, but not the editor.
  await example(page, 1).run.hover();
  await page.waitForLoadState('networkidle');
  expect(editorRequests).toEqual([]);
  expect(pageErrors).toEqual([]);
});

for (const ex of examples) {
  test(`example ${ex.index} (line ${ex.line}) prints what the chapter says`, async ({ page, pageErrors }) => {
    await page.goto(CHAPTER);
    const onPage = example(page, ex.index);
    await onPage.run.click();
    const run = await finishedOutput(onPage);
    // How the run ends and how many thread panics it reports are the chapter's to say (```ts run expect=panic, panics=1).
    expect(run.status).toMatch(STATUS[ex.status]);
    if (ex.status === 'ok') expect(run.errors.length, run.errors.join('\n')).toBe(ex.threadPanics);
    expect(ex.expected, 'every example in this chapter has an output block').toBeDefined();
    if (ex.unordered) expect([...run.lines].sort()).toEqual([...ex.expected!].sort());
    else expect(run.lines).toEqual(ex.expected);
    expect(matchesExpectation(ex, run.lines)).toBe(true);
    expect(pageErrors).toEqual([]);
  });
}

test('an edited example runs the edited code, and Reset brings the original back', async ({ page, pageErrors }) => {
  await page.goto(CHAPTER);
  const first = example(page, 1);
  const marker = `edited ${Date.now().toString(36)}`;
  await replaceCode(
    page,
    first,
    [
      "import { spawn } from 'weft/thread';",
      'function main() {',
      `  const h = spawn(() => 6 * 7);`,
      `  console.log('${marker}', h.join());`,
      '}',
    ].join('\n'),
  );
  // Ctrl+Enter in the editor runs, as the toolbar hint says.
  await page.keyboard.press('Control+Enter');
  let run = await finishedOutput(first);
  expect(run.lines).toEqual([`${marker} 42`]);
  await expect(first.log.locator('.weft-log__thread')).toHaveText(['[main]']);

  // Reset asks before it throws edits away.
  await first.reset.click();
  await page.getByRole('dialog', { name: 'Discard your edits?' }).getByRole('button', { name: 'Discard my edits' }).click();
  await first.run.click();
  run = await finishedOutput(first);
  expect(run.lines).toEqual(examples[0]!.expected);
  expect(pageErrors).toEqual([]);
});

const RUNAWAYS = {
  'in main': ['function main() {', '  while (true) {}', '}'],
  'in a spawned thread': [
    "import { spawn } from 'weft/thread';",
    'function main() {',
    "  console.log('spawning');",
    '  const h = spawn(() => {',
    '    while (true) {}',
    '  });',
    '  h.join();',
    '}',
  ],
};

for (const [where, lines] of Object.entries(RUNAWAYS)) {
  test(`Stop ends an endless loop ${where}, and the next run works`, async ({ page, pageErrors }) => {
    await page.goto(CHAPTER);
    const first = example(page, 1);
    await replaceCode(page, first, lines.join('\n'));
    await first.run.click();
    await expect(first.root).toHaveAttribute('data-running', '');
    if (where !== 'in main') await expect(first.log).toContainText('spawning');
    // The page still answers while the program spins.
    expect(await page.evaluate(() => 1 + 1)).toBe(2);
    await first.stop.click();
    await expect(status(first)).toHaveText('Stopped');
    await expect(first.run).toBeEnabled();

    await first.reset.click();
    await page.getByRole('dialog', { name: 'Discard your edits?' }).getByRole('button', { name: 'Discard my edits' }).click();
    await first.run.click();
    const run = await finishedOutput(first);
    expect(run.lines).toEqual(examples[0]!.expected);
    expect(pageErrors).toEqual([]);
  });
}

test('a syntax error is reported at its line, in the log and as an editor marker', async ({ page }) => {
  await page.goto(CHAPTER);
  const first = example(page, 1);
  await replaceCode(page, first, ['function main() {', "  const x = 1;", '  console.log(x +);', '}'].join('\n'));
  await first.run.click();
  const run = await finishedOutput(first);
  expect(run.status).toMatch(/^Did not compile/);
  expect(run.errors.join('\n')).toContain('line 3');
  await expect.poll(() => errorMarkerLines(first)).toEqual([3]);
});

test('a missing `)` is reported where TypeScript squiggles it, and "Did not compile" is said once', async ({ page }) => {
  await page.goto(CHAPTER);
  const first = example(page, 1);
  const code = ["import { spawn } from 'weft/thread';", '', 'function main() {', '  const handle = spawn(() => {', "    console.log('hello'", '  });', '  handle.join();', '}'];
  await replaceCode(page, first, code.join('\n'));
  // The reader sees the editor's own squiggle first (TypeScript has started by then).
  await expect.poll(() => errorMarkerLines(first), { timeout: 30_000 }).toEqual([6]);
  await first.run.click();
  const run = await finishedOutput(first);
  // The compile step's parser stopped at line 4, column 27 (the `=>`); TypeScript at the `}` of line 6.
  expect(run.errors).toEqual(["CompileError: syntax error: ',' expected line 6, column 3"]);
  expect(run.status).toBe('Did not compile');
  expect((await first.log.textContent())?.match(/did not compile/gi)).toHaveLength(1);
  await expect.poll(() => errorMarkerLines(first)).toEqual([6]);
});

test('a panic in a thread names the thread and the reader\'s line', async ({ page }) => {
  await page.goto(CHAPTER);
  const first = example(page, 1);
  await replaceCode(
    page,
    first,
    [
      "import { builder } from 'weft/thread';",
      'function main() {',
      "  const h = builder().name('worker').spawn(() => {",
      "    throw new Error('out of cheese');",
      '  });',
      '  h.join();',
      '}',
    ].join('\n'),
  );
  await first.run.click();
  const run = await finishedOutput(first);
  expect(run.status).toMatch(/^Panicked/);
  const errors = run.errors.join('\n');
  expect(errors).toContain('out of cheese');
  expect(errors).toContain('line 4');
  await expect.poll(() => errorMarkerLines(first)).toContain(4);
});

test("weft's types reach the editor: a wrong type from a weft call is marked before any run", async ({ page }) => {
  await page.goto(CHAPTER);
  const first = example(page, 1);
  await replaceCode(
    page,
    first,
    [
      "import { spawn } from 'weft/thread';",
      'function main() {',
      '  const n: string = spawn(() => 42).join();',
      '  console.log(n);',
      '}',
    ].join('\n'),
  );
  // JoinHandle<number>.join() returns a number: the TypeScript service knows weft's declarations.
  await expect.poll(() => errorMarkerLines(first), { timeout: 30_000 }).toEqual([3]);
});

test('a deadlock is reported with each thread at its line, and marked in the editor', async ({ page }) => {
  await page.goto(CHAPTER);
  const first = example(page, 1);
  await replaceCode(
    page,
    first,
    [
      "import { builder } from 'weft/thread';",
      "import { Arc, Barrier, Mutex } from 'weft/sync';",
      'function main() {',
      '  const a = new Arc(new Mutex(0));',
      '  const b = new Arc(new Mutex(0));',
      '  const both = new Arc(new Barrier(2));',
      '  const [a2, b2, both2] = [a.clone(), b.clone(), both.clone()];',
      "  const t = builder().name('worker').spawn(() => {",
      '    using gb = b2.lock();',
      '    both2.wait(); // each thread holds its first lock',
      '    using ga = a2.lock();',
      '  });',
      '  using ga = a.lock();',
      '  both.wait();',
      '  using gb = b.lock();',
      '  t.join();',
      '}',
    ].join('\n'),
  );
  await first.run.click();
  const run = await finishedOutput(first);
  expect(run.status).toMatch(/^Deadlock/);
  expect(run.status).toContain("'main' (line 15) waits for 'worker'");
  expect(run.errors.join('\n')).toContain("'worker' is blocked waiting to lock a Mutex held by 'main'");
  await expect.poll(() => errorMarkerLines(first)).toEqual([11, 15]);
});
