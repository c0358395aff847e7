import { check, count, plural, sameData, show, type CheckContext, type ProgramRun } from '#weft/checks';

interface Dashboard {
  costs: number[];
  visible: number[];
  workMs: number;
}

/**
 * A dashboard the program can't know in advance: 6 widgets, 3 of them visible and listed slowest first (so the
 * order they finish in is not the order asked for), and a hidden widget slower than everything else.
 */
function someDashboard(t: CheckContext): Dashboard {
  const ms = (lo: number, hi: number) => lo + 10 * Math.floor(t.random() * ((hi - lo) / 10 + 1));
  const ids = [0, 1, 2, 3, 4, 5];
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(t.random() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  const visible = ids.slice(0, 3);
  const costs = new Array<number>(6).fill(0);
  const visibleCosts = [ms(160, 250), ms(100, 150), ms(30, 90)];
  visible.forEach((id, i) => (costs[id] = visibleCosts[i]!));
  for (const id of ids.slice(3)) costs[id] = ms(300, 500);
  return { costs, visible, workMs: ms(60, 200) };
}

const widget = (id: number, ms: number) => `widget ${id} (${ms} ms)`;

function widgetsOf(run: ProgramRun): string[] {
  if (!Array.isArray(run.value) || !run.value.every((w) => typeof w === 'string')) {
    run.fail(`openDashboard returned ${show(run.value)}, expected an array of widgets (strings)`);
  }
  return run.value as string[];
}

/** How long the call took on the executor's clock: its task's spawn to its exit (virtual ms under a seed). */
function elapsedMs(run: ProgramRun): number {
  // The called function's own task: the first task on main's executor (spawned by the runner, before any of the program's).
  const root = run.trace.tasks().find((task) => task.thread === 'main');
  if (root === undefined || root.exitedAtMs === undefined) {
    run.fail('openDashboard did not run as a task on the executor: keep it an `async function` and return its widgets');
  }
  return root.exitedAtMs - root.spawnedAtMs;
}

const open = (t: CheckContext, d: Dashboard, seed: number, trace = false) =>
  t.call('openDashboard', [d.costs, d.visible, d.workMs], { seed, trace });

export default [
  check('returns-visible-widgets', 'It returns the visible widgets, in the order asked for', async (t) => {
    for (const seed of t.seeds(2)) {
      const d = someDashboard(t);
      const run = await open(t, d, seed);
      const widgets = widgetsOf(run);
      const expected = d.visible.map((id) => widget(id, d.costs[id]!));
      if (sameData(widgets, expected)) continue;
      const sorted = (list: string[]) => [...list].sort();
      run.fail(
        sameData(sorted(widgets), sorted(expected))
          ? `openDashboard returned the right widgets in the wrong order, ${show(widgets)}: they must come back in the order of visible, ${show(d.visible)}, ` +
              `not in the order they finished loading`
          : `for visible widgets ${show(d.visible)} openDashboard returned ${show(widgets)}, expected ${show(expected)}`,
      );
    }
  }),

  check('loads-overlap-the-frame', 'The loads run together, while the frame is drawn', async (t) => {
    for (const seed of t.seeds(2)) {
      const d = someDashboard(t);
      const run = await open(t, d, seed, true);
      const took = elapsedMs(run);
      const loads = d.visible.map((id) => d.costs[id]!);
      const expected = Math.max(d.workMs, ...loads);
      if (took === expected) {
        // Waiting once, as long as the slowest, and writing the widgets out takes as long, but loads nothing: every
        // load and the frame end at a moment of their own, and each such moment wakes a task.
        const moments = new Set([d.workMs, ...loads]).size;
        const woken = run.trace.tasks().reduce((total, task) => total + task.wakes, 0);
        if (woken >= moments) continue;
        run.fail(
          `the loads and the frame end at ${count(moments)} different moments, but the program's tasks were woken only ${plural(woken, 'time')}: ` +
            `the widgets did not come from loadWidget. Call loadWidget(id, costs[id]) for every visible widget, and renderFrame(workMs), and use what they return`,
        );
      }
      const sum = loads.reduce((a, b) => a + b, 0);
      let why: string;
      if (took === d.workMs + sum) why = 'the loads ran one after another, and only after the frame was drawn: creating a future starts nothing, awaiting it does';
      else if (took === sum) why = 'the loads ran one after another';
      else if (took === d.workMs + Math.max(...loads)) why = 'the loads ran together, but only once the frame was drawn';
      else if (took > expected) why = 'something waited for something else it could have run beside';
      else why = 'that is less than the slowest load, so not every load was waited for';
      run.fail(
        `with loads of ${show(loads)} ms and a ${count(d.workMs)} ms frame, the dashboard opened after ${count(took)} ms; ` +
          `it should open after ${count(expected)} ms, the longest of them: ${why}`,
      );
    }
  }),

  check('loads-only-visible', 'Only the visible widgets are loaded', async (t) => {
    const d = someDashboard(t);
    const run = await open(t, d, t.seeds(1)[0]!, true);
    const tasks = run.trace.tasks();
    const root = tasks[0];
    const spawned = tasks.slice(1); // all but the called function's own task
    // One task per visible load, and perhaps one for the frame: any more were loading widgets nobody sees.
    if (spawned.length > d.visible.length + 1) {
      run.fail(
        `openDashboard spawned ${plural(spawned.length, 'task')} for ${plural(d.visible.length, 'visible widget')} out of ${d.costs.length}: ` +
          `it loaded widgets that aren't on screen. A spawned task starts running at once; spawn loads only for the widgets in visible`,
      );
    }
    // A task still loading when openDashboard returned loads something nobody waited for: a widget not on screen.
    const exitAt = (id: number | undefined) => run.trace.events.findIndex((e) => e.kind === 'task-exit' && e.thread === 'main' && e.object === id);
    const rootExit = exitAt(root?.id);
    const stray = spawned.find((task) => task.thread === 'main' && (task.outcome === 'running' || (rootExit >= 0 && exitAt(task.id) > rootExit)));
    if (stray !== undefined) {
      run.fail(
        `a task spawned at line ${stray.spawnLine ?? '?'} was still running when openDashboard returned: it loaded something nobody waited for, ` +
          `a widget that isn't on screen. Spawn loads only for the widgets in visible, and await every task you spawn`,
        stray.spawnLine !== undefined ? { line: stray.spawnLine, column: 1 } : undefined,
      );
    }
  }),
];
