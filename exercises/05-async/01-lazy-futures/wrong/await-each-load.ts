// fails: loads-overlap-the-frame
// Spawns the frame as a task but awaits each load's future in turn: the loads run one after another, as lazy futures do when awaited in sequence.
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
  const frame = spawn(renderFrame(workMs));
  const widgets: string[] = [];
  for (const id of visible) widgets.push(await loadWidget(id, costs[id]!));
  await frame;
  return widgets;
}

async function main() {
  const start = time.now();
  const widgets = await openDashboard([80, 300, 120, 50], [0, 2, 3], 100);
  console.log(widgets.join(", "));
  console.log(`opened after ${time.now() - start} ms`);
}
