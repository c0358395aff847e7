// One nested join: the visible loads joined together, joined with the frame; the loads' values come first.
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

export async function openDashboard(costs: number[], visible: number[], workMs: number): Promise<string[]> {
  const [widgets] = await join(join(...visible.map((id) => loadWidget(id, costs[id]!))), renderFrame(workMs));
  return widgets;
}

async function main() {
  const start = time.now();
  const widgets = await openDashboard([80, 300, 120, 50], [0, 2, 3], 100);
  console.log(widgets.join(", "));
  console.log(`opened after ${time.now() - start} ms`);
}
