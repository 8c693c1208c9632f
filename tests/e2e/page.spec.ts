/**
 * What a person does on the first page, against the production build in real Chromium with
 * real module workers: open the example, run it, read the results beside theory, open a bad
 * file, cancel a run; and the numbers in the browser equal the numbers in Node.
 */
import { mkdirSync, copyFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { load } from '../../src/lib/model/index.ts';
import { Replication, summarize } from '../../src/lib/sim/index.ts';
import type { ReplicationResult, SimSummary } from '../../src/lib/sim/index.ts';
import { badDoc, mm1Doc } from './models.ts';

const SHOTS = 'test-results/screenshots';

async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const path = `${SHOTS}/${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

async function openPage(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByTestId('model-source')).toHaveText('mm1.json');
  return errors;
}

/** The summary fields that must match exactly (events/s is wall-clock timing). */
function comparable(s: SimSummary): Omit<SimSummary, 'eventsPerSecond'> {
  const { eventsPerSecond: _ignored, ...rest } = s;
  return rest;
}

test('the page opens on the example model', async ({ page }) => {
  const errors = await openPage(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Systems Sandbox');
  await expect(page.getByTestId('model-name')).not.toBeEmpty();
  // client → queue → server → sink
  const kinds = await page.getByTestId('node-list').locator('.kind').allTextContents();
  expect(kinds).toEqual(['client', 'queue', 'server', 'sink']);
  await expect(page.getByTestId('edge-list').locator('li')).toHaveCount(3);
  await expect(page.getByRole('combobox', { name: 'Example model' })).toHaveValue('mm1.json');
  await expect(page.getByRole('button', { name: 'Run' })).toBeEnabled();
  expect(errors).toEqual([]);
});

test('Run produces the results table with theory beside the intervals', async ({ page }) => {
  const errors = await openPage(page);
  await page.getByRole('button', { name: 'Run' }).click();
  const table = page.getByTestId('results');
  await expect(table).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('progress-text')).toContainText('events');

  // One row per node, and the server's station row.
  const nodes = await page.evaluate(() => Object.keys(window.__sandbox?.lastSummary?.nodes ?? {}));
  expect(nodes.length).toBe(4);
  for (const id of nodes) await expect(page.getByTestId(`row-${id}`)).toBeVisible();

  // The sink's mean response (end to end): a confidence interval around the mean, and the
  // analytic W = 1.0 s of an M/M/1 with λ = 1/s, μ = 2/s beside it.
  const sinkId = await page.evaluate(
    () => Object.values(window.__sandbox?.lastSummary?.nodes ?? {}).find((n) => n.kind === 'sink')?.id
  );
  expect(sinkId).toBeTruthy();
  const w = page.getByTestId(`cell-${sinkId}-response`);
  const [mean, lo, hi, analytic] = await Promise.all(
    ['data-mean', 'data-lo', 'data-hi', 'data-analytic'].map(async (a) => Number(await w.getAttribute(a)))
  );
  expect(lo).toBeLessThanOrEqual(mean);
  expect(hi).toBeGreaterThanOrEqual(mean);
  expect(hi).toBeGreaterThan(lo);
  expect(mean).toBeGreaterThan(0.8);
  expect(mean).toBeLessThan(1.2);
  expect(analytic).toBeCloseTo(1.0, 9);
  await expect(w).toContainText('±');
  await expect(page.getByTestId(`theory-${sinkId}-response`)).toContainText('theory 1.00 s');

  const path = await shot(page, 'results');
  if (process.env.UPDATE_DOCS_SCREENSHOT) copyFileSync(path, 'docs/screenshot.png');
  expect(errors).toEqual([]);
});

test('a bad file shows located errors and keeps the current model', async ({ page }) => {
  await openPage(page);
  const name = await page.getByTestId('model-name').textContent();

  await page.getByTestId('file-input').setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(badDoc()))
  });
  const issues = page.getByTestId('issues');
  await expect(issues).toBeVisible();
  await expect(issues).toContainText('bad.json');
  await expect(issues.getByTestId('issue').first()).toContainText('nodes[1].params.capacity');
  await expect(page.getByTestId('model-name')).toHaveText(name ?? '');
  await expect(page.getByTestId('model-source')).toHaveText('mm1.json');
  await shot(page, 'bad-file');

  // Not JSON at all: said in words, model still kept.
  await page.getByTestId('file-input').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{ "format": ')
  });
  await expect(issues).toContainText('not valid JSON');
  await expect(page.getByTestId('model-source')).toHaveText('mm1.json');

  // A good file replaces the model and clears the errors.
  await page.getByTestId('file-input').setInputFiles({
    name: 'good.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(mm1Doc()))
  });
  await expect(page.getByTestId('model-name')).toHaveText('E2E M/M/1');
  await expect(page.getByTestId('model-source')).toHaveText('good.json');
  await expect(issues).toHaveCount(0);
});

test('notes are shown as plain text, never as HTML', async ({ page }) => {
  await openPage(page);
  const notes = '<b>bold</b> <img src="x" onerror="window.__pwned = 1">';
  const r = await page.evaluate((doc) => window.__sandbox!.load(doc), mm1Doc({}, { notes }));
  expect(r.ok).toBe(true);
  const el = page.getByTestId('model-notes');
  await expect(el).toHaveText(notes);
  await expect(el.locator('b, img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('Cancel stops a run, and Run works again afterwards', async ({ page }) => {
  await openPage(page);
  // Long enough to be still running when Cancel is pressed.
  await page.evaluate(
    (doc) => window.__sandbox!.load(doc),
    mm1Doc({ until: '10000000 s', replications: 2, warmup: 0 })
  );
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('progress-text')).toContainText('at ');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('Cancelled.');
  await expect(page.getByTestId('results')).toHaveCount(0);

  await page.evaluate((doc) => window.__sandbox!.load(doc), mm1Doc({ until: '500 s', replications: 2, warmup: 0 }));
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('results')).toBeVisible({ timeout: 60_000 });
});

// Principle 8: same model + seed ⇒ the same numbers in Node and Chromium, bit for bit. This is
// the test that catches engine arithmetic that depends on the JavaScript engine: Math.log,
// Math.exp, Math.pow… are not specified to the last bit and do differ between Node 20 and
// Chromium 156.
test('the worker in Chromium gives the same numbers as Node, whatever the worker count', async ({ page }) => {
  const doc = mm1Doc({ until: '3000 s', warmup: '100 s', seed: 20260501, replications: 3 });

  // Node: the same engine and document code, sliced differently on purpose.
  const loaded = load(doc);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const model = loaded.value.model;
  const reps: ReplicationResult[] = [];
  for (let i = 0; i < model.run.replications; i++) {
    const rep = new Replication(model, i);
    while (!rep.advance(777));
    reps.push(rep.finish());
  }
  const expected = comparable(summarize(model, reps));

  await openPage(page);
  const r = await page.evaluate((d) => window.__sandbox!.load(d), doc);
  expect(r.ok).toBe(true);
  const oneWorker = await page.evaluate(() => window.__sandbox!.run({ workers: 1 }));
  expect(comparable(oneWorker)).toEqual(expected);
  const threeWorkers = await page.evaluate(() => window.__sandbox!.run({ workers: 3 }));
  expect(comparable(threeWorkers)).toEqual(expected);
  // The page shows what it computed.
  const last = await page.evaluate(() => window.__sandbox!.lastSummary);
  expect(comparable(last!)).toEqual(expected);
  await expect(page.getByTestId('cell-done-response')).toHaveAttribute(
    'data-mean',
    String(expected.nodes.done.response.mean)
  );
});
