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
  // A JoinSet hands results back as they finish, so each task says where its widget goes.
  const set = new JoinSet<[number, string]>();
  visible.forEach((id, slot) => {
    set.spawn(async () => [slot, await loadWidget(id, costs[id]!)] as [number, string]);
  });
  await renderFrame(workMs);
  const widgets: string[] = new Array(visible.length);
  for (;;) {
    const next = await set.joinNext();
    if (next === undefined) break;
    if (!next.ok) throw next.value;
    const [slot, widget] = next.value;
    widgets[slot] = widget;
  }
  return widgets;
}

async function main() {
  const start = time.now();
  const widgets = await openDashboard([80, 300, 120, 50], [0, 2, 3], 100);
  console.log(widgets.join(", "));
  console.log(`opened after ${time.now() - start} ms`);
}
