import { getExercise } from '/work/main/src/exercises/catalog.ts';
import { startGrade } from '/work/main/src/runner/node-grade.ts';
import { createNodeSupervisor, useWorkerEntry } from '/work/main/src/runner/node-host.ts';
import { buildWorkerBundle } from '/work/main/src/runner/node-worker-bundle.ts';
import { readFileSync, readdirSync } from 'node:fs';
useWorkerEntry(await buildWorkerBundle());
const sup = createNodeSupervisor(2);
const e = getExercise(process.argv[2]!);
const files = process.argv.slice(3);
for (const f of files) {
  const t = performance.now();
  const r = await startGrade(e.id, readFileSync(f, 'utf8'), () => {}, { supervisor: sup }).done;
  console.log('==', f.split('/').slice(-2).join('/'), Math.round(performance.now() - t), 'ms');
  for (const c of r.checks) console.log('  ', c.id, c.status, c.message ?? '');
}
sup.dispose();
