#!/usr/bin/env node
/**
 * Compiles and runs the Rust program beside every runnable example, and
 * compares what it prints with the example's ```text output block: the
 * chapters promise "the same program in Rust, printing the same thing".
 *
 *   node scripts/check-rust-examples.mjs [CRATE_DIR] [chapter-prefix...]
 *
 * Needs cargo, and crates for tokio (features full + test-util) and rayon
 * that cargo can reach offline. On Debian: apt-get install librust-tokio-dev
 * 'librust-tokio+full-dev' 'librust-tokio+test-util-dev' librust-rayon-dev,
 * which puts them in /usr/share/cargo/registry; this script points cargo
 * there. Not part of `npm test`: CI has no Rust toolchain.
 *
 * Fences: ```rust is compiled and run; ```rust no_run is only compiled (it
 * hangs or deadlocks on purpose); ```rust compile_fail must NOT compile (it
 * shows a compiler error); ```rust differs is run but its output is not
 * compared (the text explains what weft prints besides). A block without
 * `fn main` is a fragment and is skipped. Output is compared for blocks right before a ```ts run example.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const [crateArg, ...prefixes] = process.argv.slice(2);
const crate = resolve(crateArg ?? join(import.meta.dirname, '../.rust-examples'));
const content = join(import.meta.dirname, '../content');
const FENCE = /^```([^\n]*)\n([\s\S]*?)^```\s*$/gm;

mkdirSync(join(crate, '.cargo'), { recursive: true });
mkdirSync(join(crate, 'src'), { recursive: true });
rmSync(join(crate, 'examples'), { recursive: true, force: true });
mkdirSync(join(crate, 'examples'));
writeFileSync(join(crate, '.cargo/config.toml'),
  '[source.crates-io]\nreplace-with = "debian"\n[source.debian]\ndirectory = "/usr/share/cargo/registry"\n[net]\noffline = true\n');
writeFileSync(join(crate, 'Cargo.toml'),
  '[package]\nname = "weft-rust-examples"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n' +
  '[dependencies]\ntokio = { version = "1", features = ["full", "test-util"] }\nrayon = "1"\n');
writeFileSync(join(crate, 'src/main.rs'), 'fn main() {}\n');

const jobs = [];
for (const file of readdirSync(content).filter((f) => f.endsWith('.mdx')).sort()) {
  if (prefixes.length > 0 && !prefixes.some((p) => file.startsWith(p))) continue;
  const text = readFileSync(join(content, file), 'utf8');
  const fences = [...text.matchAll(FENCE)].map((m) => ({
    info: m[1].trim().split(/\s+/),
    body: m[2],
    line: text.slice(0, m.index).split('\n').length,
    end: m.index + m[0].length,
    start: m.index,
  }));
  fences.forEach((fence, i) => {
    if (fence.info[0] !== 'rust' || !/\bfn main\s*\(/.test(fence.body)) return;
    const next = fences[i + 1];
    const output = fences[i + 2];
    const isCounterpart = next?.info[0] === 'ts' && next.info[1] === 'run' && text.slice(fence.end, next.start).trim() === '';
    const expected = isCounterpart && !next.info.some((w) => w.startsWith('expect=')) && output?.info[0] === 'text' && output.info[1] === 'output'
      ? { lines: output.body.replace(/\n$/, '').split('\n'), unordered: output.info.includes('unordered') }
      : undefined;
    const name = `${basename(file, '.mdx').replace(/-/g, '_')}_line${fence.line}`;
    writeFileSync(join(crate, 'examples', `${name}.rs`), fence.body);
    jobs.push({ name, where: `${file}:${fence.line}`, compileFail: fence.info.includes('compile_fail'), noRun: fence.info.includes('no_run'), expected: fence.info.includes('differs') ? undefined : expected });
  });
}

let failures = 0;
for (const job of jobs) {
  const build = spawnSync('cargo', ['build', '-q', '--example', job.name], { cwd: crate, encoding: 'utf8' });
  const report = (ok, what) => {
    if (!ok) failures++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${job.where} ${what}`);
  };
  if (job.compileFail) {
    const errors = build.stderr.split('\n').filter((l) => l.startsWith('error[') || l.startsWith('error: future'));
    report(build.status !== 0, build.status !== 0 ? `does not compile, as intended: ${errors[0] ?? ''}` : 'compiles, but the chapter says it does not');
    continue;
  }
  if (build.status !== 0) {
    report(false, `does not compile:\n${build.stderr}`);
    continue;
  }
  if (job.noRun || job.expected === undefined) {
    report(true, job.noRun ? 'compiles (not run: no_run)' : 'compiles');
    continue;
  }
  const target = process.env.CARGO_TARGET_DIR ?? join(crate, 'target');
  const run = spawnSync(join(target, 'debug/examples', job.name), { encoding: 'utf8', timeout: 20_000 });
  if (run.error) {
    report(false, `did not run: ${run.error.message}`);
    continue;
  }
  const lines = (run.stdout ?? '').replace(/\n$/, '').split('\n');
  const same = job.expected.unordered
    ? JSON.stringify([...lines].sort()) === JSON.stringify([...job.expected.lines].sort())
    : JSON.stringify(lines) === JSON.stringify(job.expected.lines);
  report(same, same ? 'prints what the example prints' : `prints\n  ${lines.join('\n  ')}\nwhere the example prints\n  ${job.expected.lines.join('\n  ')}`);
}
console.log(`${jobs.length - failures} passed, ${failures} failed`);
process.exitCode = failures > 0 ? 1 : 0;

