/**
 * What weft keeps in a run's shared memory (the SharedArrayBuffer every
 * thread of a run sees) per idle thread, channel, Mutex, queued message and
 * task, measured by a weft program of its own: a fresh 1 MiB `sharedArray`
 * comes from the top of the heap (its size class is never on a free list in
 * these programs), so the distance between two of them, less the first one's
 * block, is what was allocated between them.
 */
import type { Figure } from './programs.ts';

const prelude = `import { sharedArray } from "weft/par";
const marks = [];
function mark() { const a = sharedArray(Uint8Array, 1 << 20); marks.push(a); return a.byteOffset; }
const MARK_BLOCK = 2 << 20; // 1 MiB and the block's 8-byte header: the 2 MiB size class
function measure(name, count, make) {
  const before = mark();
  make();
  const after = mark();
  console.log(JSON.stringify({ name, unit: "bytes", trials: [(after - before - MARK_BLOCK) / count] }));
}
`;

/** name -> program source; each prints one JSON figure line per thing measured. */
export const memoryPrograms: Record<string, string> = {
  'memory-threads': `import { spawn, park } from "weft/thread";
import { mpsc, Mutex, Arc, AtomicI32, Ordering } from "weft/sync";
${prelude}
function main() {
  const keep = [];
  measure("mem-channel", 1000, () => { for (let i = 0; i < 1000; i++) keep.push(mpsc.channel()); });
  measure("mem-mutex", 1000, () => { for (let i = 0; i < 1000; i++) keep.push(new Mutex(0)); });
  const [tx, rx] = mpsc.channel();
  measure("mem-message-number", 10000, () => { for (let i = 0; i < 10000; i++) tx.send(i); });
  measure("mem-message-object", 10000, () => { for (let i = 0; i < 10000; i++) tx.send({ id: i, name: "item", ok: true }); });
  const parked = new Arc(new AtomicI32(0));
  const handles = [];
  measure("mem-thread", 50, () => {
    for (let i = 0; i < 50; i++) {
      const count = parked.clone();
      handles.push(spawn(() => { count.fetchAdd(1, Ordering.SeqCst); park(); }));
    }
    while (parked.load(Ordering.SeqCst) < 50) {}
  });
  for (const h of handles) { h.thread().unpark(); h.join(); }
  keep.push(rx);
}`,
  'memory-tasks': `import { spawn, sleep } from "weft/task";
${prelude}
async function main() {
  const handles = [];
  const before = mark();
  for (let i = 0; i < 10000; i++) handles.push(spawn(async () => { await sleep(10); return i; }));
  await sleep(1); // every task polled once and waiting
  const after = mark();
  console.log(JSON.stringify({ name: "mem-task", unit: "bytes", trials: [(after - before - MARK_BLOCK) / 10000] }));
  for (const h of handles) await h;
}`,
};

/** The memory section of BENCHMARKS.md. `slotBytes`: a thread's slot in the thread table, reserved for every thread when the run starts. */
export function memorySection(figures: Figure[], slotBytes: number): string[] {
  const get = (name: string) => figures.find((f) => f.name === name)?.trials[0];
  const bytes = (v: number | undefined) => (v === undefined ? '—' : `${Math.round(v)} B`);
  const lines = ['## Shared memory per object (Node; the same code and layout in Chromium)', ''];
  lines.push(
    'Bytes of the run\'s SharedArrayBuffer each thing takes, measured by a weft program (tests/bench/memory.ts) as the growth of the heap between two marks, divided by how many were made. Blocks come in power-of-two size classes with an 8-byte header (runtime/memory.ts). A channel\'s record is three 64-byte cache lines (its block has room to align them). A queued message takes 8-byte slots in its channel\'s ring: a number one slot, an encoding of up to 504 bytes a header slot and the slots it fills (a `{ id, name, ok }` message six), a longer one two slots and a block of its own. A full ring is followed by one twice its size, and the receiver frees each ring it has read to its end: the figures count the rings still held when the last message was queued.',
    '',
  );
  lines.push('| what | shared memory | counted over |', '|---|---|---|');
  lines.push(`| an idle thread (parked) | ${bytes(get('mem-thread'))} on the heap, and its ${slotBytes}-byte slot in the thread table (reserved for all 1,024 when the run starts) | 50 threads |`);
  lines.push(`| a channel (\`mpsc.channel()\`) | ${bytes(get('mem-channel'))} | 1,000 channels |`);
  lines.push(`| a \`Mutex\` holding a number | ${bytes(get('mem-mutex'))} | 1,000 |`);
  lines.push(`| a queued number message | ${bytes(get('mem-message-number'))} | 10,000 |`);
  lines.push(`| a queued \`{ id, name, ok }\` message | ${bytes(get('mem-message-object'))} | 10,000 |`);
  lines.push(`| a weft/task task (spawned, waiting on a sleep) | ${bytes(get('mem-task'))}: a task lives in its thread's own heap | 10,000 |`);
  lines.push('');
  return lines;
}
