import { JoinSet, Notify, Semaphore, mpsc, sleep, spawn, time } from "weft/task";

/** Downloads a page and gives back the URLs it links to. */
type Fetch = (url: string) => Promise<string[]>;

async function crawl(start: string, limit: number, fetchPage: Fetch): Promise<string[]> {
  const seen = new Set<string>([start]);
  const permits = new Semaphore(limit);
  async function visit(url: string): Promise<void> {
    let links: string[];
    {
      using _permit = await permits.acquire();
      links = await fetchPage(url);
    }
    const fresh = links.filter((l) => !seen.has(l));
    fresh.forEach((l) => seen.add(l));
    const children = new JoinSet<void>();
    for (const l of fresh) children.spawn(visit(l));
    while (children.len() > 0) await children.joinNext();
  }
  await visit(start);
  return Array.from(seen);
}
// ---- the test bench: keep it as it is ----

/** A made-up site: for each URL, how long its download takes and the URLs it links to. */
type Site = Record<string, { ms: number; links: string[] }>;

/** Crawls `site` from `start`; returns the pages found, how many times each was fetched and the most downloads at once. */
export async function runCrawl(site: Site, start: string, limit: number) {
  const fetches: Record<string, number> = {};
  let running = 0;
  let most = 0;
  const fetchPage: Fetch = async (url) => {
    fetches[url] = (fetches[url] ?? 0) + 1;
    most = Math.max(most, ++running);
    try {
      await sleep(site[url]?.ms ?? 10);
      return [...(site[url]?.links ?? [])];
    } finally {
      running--;
    }
  };
  const pages = await crawl(start, limit, fetchPage);
  return { pages: [...pages].sort(), fetches, most };
}

async function main() {
  time.pause();
  const site: Site = {
    "/": { ms: 30, links: ["/a", "/b", "/c"] },
    "/a": { ms: 50, links: ["/", "/d"] },
    "/b": { ms: 20, links: ["/d", "/e"] },
    "/c": { ms: 40, links: ["/e"] },
    "/d": { ms: 10, links: ["/a"] },
    "/e": { ms: 60, links: [] },
    "/lost": { ms: 10, links: ["/"] },
  };
  const result = await runCrawl(site, "/", 2);
  console.log(`found ${result.pages.join(" ")} in ${time.now()} ms, at most ${result.most} at once`);
  console.log(`fetches: ${JSON.stringify(result.fetches)}`);
}
