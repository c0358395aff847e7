// fails: loads-only-visible
// Spawns a load for every widget, on screen or not, and keeps the visible ones: the hidden widgets are loaded for nothing.
import { spawn, join, sleep, time, JoinSet } from "weft/task";

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
  const loads = costs.map((ms, id) => spawn(loadWidget(id, ms)));
  await renderFrame(workMs);
  const widgets: string[] = [];
  for (const id of visible) widgets.push(await loads[id]!);
  return widgets;
}

async function main() {
  const start = time.now();
  const widgets = await openDashboard([80, 300, 120, 50], [0, 2, 3], 100);
  console.log(widgets.join(", "));
  console.log(`opened after ${time.now() - start} ms`);
}
