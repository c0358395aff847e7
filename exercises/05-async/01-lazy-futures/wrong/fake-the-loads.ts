// fails: loads-overlap-the-frame
// Loads nothing: sleeps once, as long as the longest visible load or the frame, and writes each widget's text itself. The timing is right, but no load ever ran.
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
  await sleep(Math.max(workMs, ...visible.map((id) => costs[id]!)));
  return visible.map((id) => `widget ${id} (${costs[id]} ms)`);
}

async function main() {
  const start = time.now();
  const widgets = await openDashboard([80, 300, 120, 50], [0, 2, 3], 100);
  console.log(widgets.join(", "));
  console.log(`opened after ${time.now() - start} ms`);
}
