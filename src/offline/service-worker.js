/*
 * Weft's service worker: the book works offline, and on any static host.
 *
 * 1. Offline. On install it caches the pages and everything a reader needs
 *    to read and run examples (layouts, styles, the runner, the compiler,
 *    weft). The editor (Monaco and its TypeScript worker, ~11 MB) is cached
 *    the first time it loads, so a reader who has edited once can edit
 *    offline too. Pages are fetched network-first (an updated book shows at
 *    once when online); hashed assets under /_astro/ never change, so they
 *    come from the cache first.
 * 2. Isolation. SharedArrayBuffer needs COOP/COEP headers (ARCHITECTURE.md,
 *    constraint 2). Every response this worker hands the page carries them,
 *    so a host that cannot set headers still gets a cross-origin isolated
 *    book once the worker is in control (the page reloads itself once).
 *
 * `self.__WEFT_BUILD__` is written in at build time by
 * src/integrations/offline.ts: { version, precache: [urls] }.
 */
const BUILD = self.__WEFT_BUILD__;
const CACHE = `weft-${BUILD.version}`;
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
const scope = new URL(self.registration.scope);

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(BUILD.precache.map((path) => new URL(path, scope).href)))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('weft-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

/**
 * The editor, fetched in the background when a page asks (after its first
 * load, when the browser is idle): a reader who never opened the editor
 * online can still edit offline later. Skipped when it is already cached.
 */
async function cacheEditor() {
  const cache = await caches.open(CACHE);
  const urls = (BUILD.editor ?? []).map((path) => new URL(path, scope).href);
  const missing = [];
  for (const url of urls) if (!(await cache.match(url, { ignoreVary: true }))) missing.push(url);
  for (const url of missing) {
    const response = await fetch(url);
    if (response.ok) await cache.put(url, response);
  }
}

self.addEventListener('message', (event) => {
  if (event.data && event.data.kind === 'cache-editor') event.waitUntil(cacheEditor().catch(() => undefined));
});

/** The same response with the isolation headers added. */
function isolated(response) {
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function fromCacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function fromNetworkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = (await cache.match(request, { ignoreSearch: true, ignoreVary: true })) ?? (await cache.match(new URL('404.html', scope).href));
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const asset = url.pathname.startsWith(`${scope.pathname}_astro/`);
  const page = request.mode === 'navigate';
  // Anything else (the dev server's /src/ and /@vite/ modules, say) goes to the network untouched.
  if (!asset && !page && !BUILD.precache.includes(url.pathname.slice(scope.pathname.length))) return;
  event.respondWith((asset ? fromCacheFirst(request) : fromNetworkFirst(request)).then(isolated));
});
