// fails: loads-only-visible
// Joins the visible loads with the frame, and also prefetches a hidden widget in a task it aborts before returning: the task is gone by then, but it was loading a widget nobody sees.
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
  // Prefetch the next widget the user will probably scroll to, and cancel it if it isn't done by the time we open.
  const hidden = costs.findIndex((_, id) => !visible.includes(id));
  const prefetch = spawn(loadWidget(hidden, costs[hidden]!));
  const [, ...widgets] = await join(renderFrame(workMs), ...visible.map((id) => loadWidget(id, costs[id]!)));
  prefetch.abort();
  return widgets as string[];
}

async function main() {
  const start = time.now();
  const widgets = await openDashboard([80, 300, 120, 50], [0, 2, 3], 100);
  console.log(widgets.join(", "));
  console.log(`opened after ${time.now() - start} ms`);
}
