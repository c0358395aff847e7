// fails: returns-visible-widgets
// Collects the loads from a JoinSet with joinAll, which gives them in the order they finished, not in the order of visible.
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
  const set = new JoinSet<string>();
  for (const id of visible) set.spawn(loadWidget(id, costs[id]!));
  await renderFrame(workMs);
  return await set.joinAll();
}

async function main() {
  const start = time.now();
  const widgets = await openDashboard([80, 300, 120, 50], [0, 2, 3], 100);
  console.log(widgets.join(", "));
  console.log(`opened after ${time.now() - start} ms`);
}
