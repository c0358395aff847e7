// readPage copies both fields out under one read guard (in an immediately called arrow) and renders the copy without the lock; publish sets both fields in place under one write guard, unlocked by hand.
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

export function readPage(store: Arc<RwLock<Config>>): string {
  const snapshot = (() => {
    using config = store.read();
    return { version: config.value.version, checksum: config.value.checksum };
  })();
  return render(snapshot);
}

export function publish(store: Arc<RwLock<Config>>, version: number): void {
  const checksum = checksumOf(version);
  const config = store.write();
  config.value.version = version;
  config.value.checksum = checksum;
  config.unlock();
}


// ---- You don't need to change anything below this line. ----

/**
 * `readers` threads each render `pagesEach` pages while one writer thread
 * publishes `versions`, in order, one every millisecond. Returns the pages each reader rendered,
 * and the configuration at the end.
 */
export function runStore(readers: number, pagesEach: number, versions: number[]): { pages: string[][]; final: Config } {
  const store = new Arc(new RwLock<Config>({ version: 0, checksum: checksumOf(0) }));
  const handles = [];
  for (let r = 0; r < readers; r++) {
    const mine = store.clone();
    handles.push(
      spawn(() => {
        const pages: string[] = [];
        for (let i = 0; i < pagesEach; i++) pages.push(readPage(mine));
        return pages;
      }),
    );
  }
  // The writer publishes while the readers render, one version every millisecond.
  const writerStore = store.clone();
  const writer = spawn(() => {
    for (const version of versions) {
      sleep(1);
      publish(writerStore, version);
    }
  });
  writer.join();
  const pages = handles.map((handle) => handle.join());
  using final = store.read();
  return { pages, final: final.value };
}

function main() {
  const { pages, final } = runStore(3, 4, [1, 2, 3]);
  pages.forEach((mine, r) => console.log(`Reader ${r}: ${mine.join(" ")}`));
  console.log(`Final: version ${final.version}, checksum ${final.checksum}`);
}
