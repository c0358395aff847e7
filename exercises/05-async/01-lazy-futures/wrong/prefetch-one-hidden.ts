// fails: loads-only-visible
// Spawns the visible loads and also prefetches one widget that isn't on screen, never awaited: within the allowance of one extra task (for the frame), but it loads a hidden widget.
import { spawn, join, sleep, time } from "weft/task";

/** Loads one widget: takes `ms` milliseconds. */
async function loadWidget(id: number, ms: number): Promise<string> {
  await sleep(ms);
  return `widget ${id} (${ms} ms)`;
}

/** Draws the dashboard's frame: takes `ms` milliseconds. */
async function renderFrame(ms: number): Promise<void> {
  await sleep(ms);
}

/** Loads the visible widgets while the frame is drawn; returns them in the order of `visible`. */
export async function openDashboard(costs: number[], visible: number[], workMs: number): Promise<string[]> {
  // spawn hands each load to the executor now: the tasks run while this one draws the frame.
  const loads = visible.map((id) => spawn(loadWidget(id, costs[id]!)));
  // Prefetch the next widget that isn't on screen yet, so that it is ready when the user scrolls.
  const next = costs.findIndex((_, id) => !visible.includes(id));
  if (next >= 0) spawn(loadWidget(next, costs[next]!));
  await renderFrame(workMs);
  const widgets: string[] = [];
  for (const load of loads) widgets.push(await load); // the handles, in the order of `visible`
  return widgets;
}

async function main() {
  const start = time.now();
  const widgets = await openDashboard([80, 300, 120, 50], [0, 2, 3], 100);
  console.log(widgets.join(", "));
  console.log(`opened after ${time.now() - start} ms`);
}
