/**
 * `node src/cli/emit-declarations.ts DIR`: writes weft's declarations, as the
 * page's editor gets them (integrations/weft-declarations.ts: public members
 * only, so an `Arc<Mutex<T>>` is taken where a `Mutex<T>` is, as at run
 * time), to DIR for the CLI's type check (type-check.ts). A process of its
 * own: the emit type-checks all of weft, seconds of work that would stall the
 * CLI's runs and checks if done on their thread. Written to a folder beside
 * DIR first and renamed, so a reader never sees half of them.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { emitWeftDeclarations } from '../integrations/weft-declarations.ts';

const target = process.argv[2];
if (target === undefined) {
  process.stderr.write('usage: node src/cli/emit-declarations.ts DIR\n');
  process.exit(64);
}
const partial = `${target}.${process.pid}.partial`;
for (const [file, text] of Object.entries(emitWeftDeclarations())) {
  const path = join(partial, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
try {
  renameSync(partial, target);
} catch {
  // Another process wrote the same declarations first.
  rmSync(partial, { recursive: true, force: true });
}
