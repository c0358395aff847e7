import { check, count, plural, sameData, show, type CheckContext, type ProgramRun } from '#weft/checks';

const LIMIT = 3;

type Site = Record<string, { ms: number; links: string[] }>;

/**
 * A site the program can't know in advance: /p0 … /p13 reachable from /p0 (a random tree plus links back and forth),
 * /p14 and /p15 that nobody links to. /p1 and /p2 are quick and both link to the slow /p3, so /p3 is discovered twice
 * while it is still waiting; /p13 is linked only from /p12, so slow that every other page is done first.
 */
function someSite(t: CheckContext): Site {
  const url = (i: number) => `/p${i}`;
  const site: Site = {};
  const ms = () => 10 * (1 + Math.floor(t.random() * 6));
  for (let i = 0; i < 16; i++) site[url(i)] = { ms: ms(), links: [] };
  const link = (from: number, to: number) => {
    const links = site[url(from)]!.links;
    if (!links.includes(url(to))) links.push(url(to));
  };
  for (const i of [1, 2, 12, 4, 5]) link(0, i);
  link(1, 3);
  link(2, 3);
  site[url(1)]!.ms = 10;
  site[url(2)]!.ms = 20;
  site[url(3)]!.ms = 60;
  site[url(12)]!.ms = 400;
  link(12, 13);
  for (let i = 4; i <= 11; i++) link(Math.floor(t.random() * i), i); // a parent among the pages before it
  for (let k = 0; k < 12; k++) link(1 + Math.floor(t.random() * 11), Math.floor(t.random() * 12)); // more links, back and forth
  link(14, 0);
  link(15, 14);
  return site;
}

/**
 * A site where keeping every slot busy shows: the start links to one slow page and one quick page, and the quick one
 * to six more (two of which share a link). While the slow page downloads, the two other slots can fetch the rest,
 * so a crawler that starts a waiting page whenever a slot is free, in whatever order, ends when the slow page does.
 */
function slowBranchSite(t: CheckContext): { site: Site; start: string; expected: number } {
  const names = Array.from({ length: 10 }, (_, i) => i);
  for (let i = names.length - 1; i > 0; i--) {
    const j = Math.floor(t.random() * (i + 1));
    [names[i], names[j]] = [names[j]!, names[i]!];
  }
  const [start, slow, quick, ...rest] = names.map((n) => `/s${n}`);
  const fanned = rest.slice(0, 6);
  const deep = rest[6]!;
  const site: Site = {};
  site[start!] = { ms: 10 + 10 * Math.floor(t.random() * 3), links: [slow!, quick!] };
  site[slow!] = { ms: 200 + 10 * Math.floor(t.random() * 7), links: [start!] };
  site[quick!] = { ms: 10, links: [...fanned, start!] };
  fanned.forEach((u, i) => (site[u] = { ms: 30 + 10 * Math.floor(t.random() * 3), links: i < 2 ? [deep, quick!] : [fanned[(i + 1) % 6]!] }));
  site[deep] = { ms: 10, links: [] };
  return { site, start: start!, expected: site[start!]!.ms + site[slow!]!.ms };
}

/** A start page that links to 12 pages of 40 to 90 ms, and nothing else: nothing but the limit keeps them from all downloading at once. */
function wideSite(t: CheckContext): Site {
  const site: Site = { '/w0': { ms: 10, links: [] } };
  for (let i = 1; i <= 12; i++) {
    site[`/w${i}`] = { ms: 40 + 10 * Math.floor(t.random() * 6), links: ['/w0'] };
    site['/w0']!.links.push(`/w${i}`);
  }
  return site;
}

const reachable = (site: Site) => Object.keys(site).filter((u) => u !== '/p14' && u !== '/p15').sort();

interface Crawled {
  pages: string[];
  fetches: Record<string, number>;
  most: number;
}

function crawledOf(run: ProgramRun): Crawled {
  const r = run.value as Partial<Crawled> | undefined;
  if (!r || !Array.isArray(r.pages) || typeof r.fetches !== 'object' || typeof r.most !== 'number') {
    run.fail(`runCrawl returned ${show(r)}: keep the test bench (runCrawl) as it was given, and return the URLs crawl found`);
  }
  return r as Crawled;
}

const runCrawl = (t: CheckContext, site: Site, trace = false) => t.call('runCrawl', [site, '/p0', LIMIT], { seed: t.seeds(1)[0]!, trace });

export default [
  check('finds-every-page', 'It finds every page reachable from the start, and only those', async (t) => {
    const site = someSite(t);
    const run = await runCrawl(t, site);
    const { pages } = crawledOf(run);
    const expected = reachable(site);
    if (sameData([...new Set(pages)].sort(), expected)) return;
    const missing = expected.filter((u) => !pages.includes(u));
    const extra = pages.filter((u) => !expected.includes(u));
    run.fail(
      missing.length > 0
        ? `crawl found ${plural(new Set(pages).size, 'page')} of the ${expected.length} reachable from /p0; it missed ${show(missing)}. ` +
            `The crawl is over only when no page is waiting to be fetched and no download is still running: a running download can still find new pages`
        : `crawl returned ${show(extra)}, which can't be reached from /p0`,
    );
  }),

  check('fetches-each-page-once', 'Every page is fetched exactly once', async (t) => {
    const site = someSite(t);
    const run = await runCrawl(t, site);
    const { fetches } = crawledOf(run);
    const twice = Object.entries(fetches).filter(([, n]) => n > 1);
    if (twice.length === 0) return;
    run.fail(
      `${twice.map(([u, n]) => `${u} was fetched ${count(n)} times`).join(', ')}. ` +
        `A page linked from several others is discovered several times, sometimes while its first download is still waiting or running: ` +
        `remember a URL when you first discover it, and queue it only then`,
    );
  }),

  check('at-most-limit-downloads', 'Never more than the limit of downloads at a time', async (t) => {
    const site = someSite(t);
    const run = await runCrawl(t, site);
    const { most } = crawledOf(run);
    if (most > LIMIT) {
      run.fail(`${count(most)} downloads ran at the same time with a limit of ${LIMIT}: start a download only when fewer than ${LIMIT} are running`);
    }
    // The clock says it too, without the bench's count: on a wide site, LIMIT slots need at least the downloads'
    // total time divided by LIMIT. A crawl that ends sooner had more downloads running at once.
    const wide = wideSite(t);
    const wideRun = await t.call('runCrawl', [wide, '/w0', LIMIT], { seed: t.seeds(1)[0]!, trace: true });
    crawledOf(wideRun);
    const root = wideRun.trace.tasks().find((task) => task.thread === 'main');
    const took = root?.exitedAtMs === undefined ? undefined : root.exitedAtMs - root.spawnedAtMs;
    const total = Object.values(wide).reduce((sum, page) => sum + page.ms, 0);
    const least = Math.ceil(total / LIMIT);
    if (took === undefined || took >= least) return;
    wideRun.fail(
      `on a site whose start page links to ${Object.keys(wide).length - 1} others, ${count(total)} ms of downloads in all, the crawl took ${count(took)} ms: ` +
        `with at most ${LIMIT} downloads at a time it needs at least ${count(least)} ms (${count(total)} / ${LIMIT}), so more than ${LIMIT} ran at once. ` +
        `Start a download only when fewer than ${LIMIT} are running`,
    );
  }),

  check('downloads-overlap', 'Downloads run at the same time, up to the limit', async (t) => {
    const site = someSite(t);
    const run = await runCrawl(t, site, true);
    const { most } = crawledOf(run);
    const root = run.trace.tasks().find((task) => task.thread === 'main');
    const took = root?.exitedAtMs === undefined ? undefined : root.exitedAtMs - root.spawnedAtMs;
    const oneByOne = reachable(site).reduce((sum, u) => sum + site[u]!.ms, 0);
    if (most >= 2 && took !== undefined && took < oneByOne) return;
    run.fail(
      `the downloads never overlapped (at most ${most} at a time)` +
        (took !== undefined ? `, so the crawl took ${count(took)} ms, the sum of every page's download` : '') +
        `: with a limit of ${LIMIT}, start up to ${LIMIT} downloads at once and handle whichever finishes first`,
    );
  }),

  check('waits-instead-of-polling', 'The crawler waits for a download to end, without looking again and again', async (t) => {
    const site = someSite(t);
    const run = await runCrawl(t, site, true);
    crawledOf(run);
    // Waiting on downloads (a JoinSet, a channel, a semaphore) wakes the program a few times per page; a loop that
    // sleeps a little and looks again whether anything changed wakes it every few milliseconds of the crawl.
    const pages = reachable(site).length;
    const polls = run.trace.tasks().reduce((sum, task) => sum + task.polls, 0);
    if (polls <= 6 * pages) return;
    run.fail(
      `crawling ${count(pages)} pages woke the program's tasks ${count(polls)} times: it polls (sleeps a little, then looks whether a download has ended or the work is done) ` +
        `instead of waiting for a download to end. Await the downloads themselves: joinNext() on a JoinSet, recv() on a channel the downloads report to, or a semaphore's acquire()`,
    );
  }),

  check('fills-every-slot', 'A free slot is used at once while a page is waiting to be fetched', async (t) => {
    const { site, start, expected } = slowBranchSite(t);
    const run = await t.call('runCrawl', [site, start, LIMIT], { seed: t.seeds(1)[0]!, trace: true });
    const { pages } = crawledOf(run);
    if (pages.length !== Object.keys(site).length) return; // finds-every-page says what is missing
    const root = run.trace.tasks().find((task) => task.thread === 'main');
    const took = root?.exitedAtMs === undefined ? undefined : root.exitedAtMs - root.spawnedAtMs;
    if (took === undefined || took <= expected) return;
    const slow = site[start]!.links[0]!;
    run.fail(
      `on a site where ${start} (${site[start]!.ms} ms) links to a slow page, ${slow} (${site[slow]!.ms} ms), and a quick one that links to 6 more, ` +
        `the crawl took ${count(took)} ms; with ${LIMIT} slots it takes ${count(expected)} ms, because the other two slots can fetch every other page while ${slow} downloads. ` +
        `Slots stayed free while pages waited: start a waiting page as soon as any download ends, not when a whole round (or level) of them has, ` +
        `and use all ${LIMIT} slots`,
    );
  }),
];
