// fails: loads-overlap-the-frame
// Spawns the loads only after awaiting the frame: they run together, but the dashboard waits for the frame and then for the slowest load.
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
  await renderFrame(workMs);
  const loads = visible.map((id) => spawn(loadWidget(id, costs[id]!)));
  const widgets: string[] = [];
  for (const load of loads) widgets.push(await load);
  return widgets;
}

async function main() {
  const start = time.now();
  const widgets = await openDashboard([80, 300, 120, 50], [0, 2, 3], 100);
  console.log(widgets.join(", "));
  console.log(`opened after ${time.now() - start} ms`);
}
