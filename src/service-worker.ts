/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * The service worker: the app works offline after one visit (ARCHITECTURE.md, static site).
 *
 * Precache, at install: the app shell (the prerendered page), every build file (`build`: the
 * JS and CSS chunks and the simulation worker bundle, which Vite lists as an asset of the page
 * that creates it) and every static file (`files`: the gallery static/models/*, the schema, the
 * manifest and icons). One cache per version (`version` changes with every build).
 *
 * Serving: cache first for everything precached, so one version of the app is served as a
 * whole (never a new page with old chunks); navigations get the cached shell (one page app);
 * anything else goes to the network and is cached for next time, and offline gets a 503.
 *
 * Updates: a new worker installs beside the old one and WAITS. It takes over only when the page
 * (the user, from the "Update available" banner) posts {type: "skip-waiting"}; then the old
 * caches are deleted and the page reloads. It never swaps the app under a user mid-work.
 */
import { base, build, files, prerendered, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

/** WARNING: the prefix is how old versions' caches are found and deleted; keep it. */
const PREFIX = 'systems-sandbox-';
const CACHE = `${PREFIX}${version}`;
const SHELL = `${base}/`;
const PRECACHE = [...new Set([SHELL, ...prerendered, ...build, ...files])];
const PRECACHED = new Set(PRECACHE);

sw.addEventListener('install', (event) => {
  // cache.addAll fails as a whole when one file fails: a half-filled cache never goes live.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
      await sw.clients.claim();
    })()
  );
});

sw.addEventListener('message', (event) => {
  const data: unknown = event.data;
  if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'skip-waiting') void sw.skipWaiting();
});

async function respond(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const cache = await caches.open(CACHE);
  // A precached file (also when opened in a tab, e.g. the JSON schema), else for a page the
  // shell: the app has one page, and its router handles the path.
  if (PRECACHED.has(url.pathname)) {
    const hit = await cache.match(url.pathname);
    if (hit) return hit;
  } else if (request.mode === 'navigate') {
    const shell = await cache.match(SHELL);
    if (shell) return shell;
  }
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
    return response;
  } catch {
    const stale = await cache.match(request, { ignoreSearch: true });
    if (stale) return stale;
    return new Response('offline: this file is not saved for offline use', { status: 503, statusText: 'Offline', headers: { 'content-type': 'text/plain' } });
  }
}

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  event.respondWith(respond(request));
});
