/**
 * The offline PWA: after one visit the service worker has the app shell, the worker bundle and
 * the gallery; with the network off the app loads, edits, runs and saves. A new version waits
 * for the user's consent. Real service worker, real Cache Storage, real IndexedDB, Chromium.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { flushed, openApp, shot, typeInto } from './helpers.ts';

/** Wait until the service worker controls the page (installed, precached, claimed). */
async function controlled(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
}

/** Every URL path in the app's caches. */
function cachedPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const out: string[] = [];
    for (const key of await caches.keys()) {
      const cache = await caches.open(key);
      for (const req of await cache.keys()) out.push(new URL(req.url).pathname);
    }
    return out;
  });
}

test('after one visit the app loads, edits, runs and saves with the network off', async ({ page, context }) => {
  test.setTimeout(120_000);
  const errors = await openApp(page);
  await controlled(page);
  // The precache holds the shell, the simulation worker bundle and the gallery.
  const cached = await cachedPaths(page);
  expect(cached).toContain('/');
  expect(cached.some((p) => /\/_app\/immutable\/workers\/sim\.worker-[\w-]+\.js$/.test(p))).toBe(true);
  expect(cached).toContain('/models/index.json');
  expect(cached).toContain('/models/mm1.json');
  expect(cached).toContain('/manifest.webmanifest');
  // No update banner on a first install.
  await expect(page.getByTestId('update-banner')).toHaveCount(0);

  await context.setOffline(true);
  // Really offline, for the page and for the service worker's own fetches.
  const probe = await page.evaluate(async () => (await fetch('/not-precached.json?x=' + Date.now())).status);
  expect(probe).toBe(503);

  const response = await page.reload();
  expect(response?.fromServiceWorker()).toBe(true);
  await expect(page.getByTestId('model-name')).toHaveText('M/M/1 queue');
  await expect(page.getByRole('combobox', { name: 'Example model' })).toHaveValue('mm1.json');

  // Edit (the page's model editing affordance), then run in the cached worker.
  await typeInto(page, 'edit-name', 'Built offline');
  await typeInto(page, 'edit-until', '2000 s');
  await typeInto(page, 'edit-replications', '3');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toBeVisible({ timeout: 60_000 });
  const mean = await page.evaluate(() => window.__sandbox!.lastSummary!.nodes.done.response.mean);
  expect(mean).toBeGreaterThan(0.5);
  expect(mean).toBeLessThan(2);
  await expect(page.getByTestId('run-item')).toHaveCount(1);
  await flushed(page);

  // Still offline: reload and find it all saved.
  await page.reload();
  await expect(page.getByTestId('model-name')).toHaveText('Built offline');
  await expect(page.getByTestId('edit-replications')).toHaveValue('3');
  await expect(page.getByTestId('model-item')).toHaveCount(1);
  await expect(page.getByTestId('run-item')).toHaveCount(1);
  await expect(page.getByTestId('run-item')).toContainText('Built offline');
  await shot(page, 'offline-reloaded');
  await context.setOffline(false);
  expect(errors).toEqual([]);
});

test('the web manifest makes the app installable', async ({ page, request }) => {
  await openApp(page);
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const manifest = await (await request.get(new URL(href!, page.url()).href)).json();
  expect(manifest).toMatchObject({ name: 'Systems Sandbox', display: 'standalone', start_url: './' });
  const sizes = manifest.icons.map((i: { sizes: string }) => i.sizes);
  expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
  for (const icon of manifest.icons as { src: string; type: string }[]) {
    const res = await request.get(new URL(icon.src, new URL(href!, page.url())).href);
    expect(res.ok()).toBe(true);
    expect(res.headers()['content-type']).toContain(icon.type.split('+')[0]);
  }
});

// A new version: the same service worker file with another build version (same length, so
// the preview server's cached file size still holds), restored afterwards.
const SW_FILE = '.svelte-kit/output/client/service-worker.js';

test('a new version waits for the user, then reloads on consent', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  await controlled(page);
  await typeInto(page, 'edit-name', 'Work in progress');
  const before = await page.evaluate(() => caches.keys());
  expect(before).toHaveLength(1);

  const original = readFileSync(SW_FILE, 'utf8');
  // The build version, a 13-digit timestamp string in the minified worker.
  const m = /([`"'])(\d{13})\1/.exec(original);
  expect(m, 'the build version in service-worker.js').toBeTruthy();
  const [quoted, quote, version] = m!;
  const next = String((BigInt(version) + 1n) % 10n ** 13n).padStart(13, '0');
  try {
    writeFileSync(SW_FILE, original.replace(quoted, `${quote}${next}${quote}`));
    await page.evaluate(() => window.__sandbox!.checkForUpdate());
    const banner = page.getByTestId('update-banner');
    await expect(banner).toBeVisible({ timeout: 30_000 });
    // Not swapped under the user: the old version still serves this page.
    expect(await page.evaluate(() => caches.keys())).toEqual(expect.arrayContaining(before));
    await expect(page.getByTestId('model-name')).toHaveText('Work in progress');
    await shot(page, 'update-available');

    await Promise.all([page.waitForEvent('load'), page.getByTestId('update-reload').click()]);
    await expect(page.getByTestId('model-name')).toHaveText('Work in progress');
    await expect(page.getByTestId('update-banner')).toHaveCount(0);
    await expect.poll(() => page.evaluate(() => caches.keys())).toEqual([`systems-sandbox-${next}`]);
  } finally {
    writeFileSync(SW_FILE, original);
  }
});
