/**
 * Keeping work: autosave to IndexedDB (real, in Chromium), the Models and Runs panels, share
 * links, files, results exports, and every kind of bad input leaving the user's model alone.
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Page } from '@playwright/test';
import { decodeFile, encodeShare, makeEnvelope } from '../../src/lib/codec/index.ts';
import { packShareText } from '../../src/lib/codec/share.ts';
import type { ModelDocument } from '../../src/lib/model/index.ts';
import type { SimSummary } from '../../src/lib/sim/index.ts';
import { CSV_HEADER } from '../../src/lib/persist/export.ts';
import { flushed, openApp, readStore, shot, typeInto, writeRecord } from './helpers.ts';
import { mm1Doc } from './models.ts';

function comparable(s: SimSummary): Omit<SimSummary, 'eventsPerSecond'> {
  const { eventsPerSecond: _t, ...rest } = s;
  return rest;
}

const modelName = (page: Page) => page.getByTestId('model-name');
const items = (page: Page) => page.getByTestId('model-item');

test('an edit is saved at once and survives a reload and a closed tab', async ({ page, context }) => {
  const errors = await openApp(page);
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-saved', 'false');
  await typeInto(page, 'edit-name', 'My queue');
  await typeInto(page, 'edit-seed', '5');
  await expect(modelName(page)).toHaveText('My queue');
  // No flush, no waiting for "saved": a reload half a second after the last keystroke.
  await page.waitForTimeout(500);
  await page.reload();
  await expect(modelName(page)).toHaveText('My queue');
  await expect(page.getByTestId('edit-seed')).toHaveValue('5');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-saved', 'true');
  await expect(items(page)).toHaveCount(1);

  // Type, then close the tab straight away (pagehide flushes); a new tab opens the model.
  await typeInto(page, 'edit-name', 'My queue, edited');
  await page.close({ runBeforeUnload: true });
  const again = await context.newPage();
  await openApp(again);
  await expect(modelName(again)).toHaveText('My queue, edited');
  const records = (await readStore(again, 'models')) as { name: string; rev: number }[];
  expect(records).toHaveLength(1);
  expect(records[0].name).toBe('My queue, edited');
  expect(errors).toEqual([]);
});

test('an invalid setting is refused in place and never saved', async ({ page }) => {
  await openApp(page);
  await typeInto(page, 'edit-name', 'Kept');
  await page.getByTestId('edit-replications').fill('ten');
  await expect(page.getByTestId('edit-issues')).toContainText('run.replications');
  await flushed(page);
  const [rec] = (await readStore(page, 'models')) as { envelope: { model: ModelDocument } }[];
  expect(rec.envelope.model.name).toBe('Kept');
  expect((rec.envelope.model.run as { replications: unknown }).replications).toBe(10);

  // The JSON editor refuses a broken document with its location, and applies a good one.
  await page.getByText('Edit as JSON').click();
  await page.getByTestId('edit-json').fill('{ "format": "systems-sandbox/model", ');
  await page.getByTestId('edit-json-apply').click();
  await expect(page.getByTestId('edit-json-issues')).toContainText('not valid JSON');
  await expect(modelName(page)).toHaveText('Kept');
  await page.getByTestId('edit-json').fill(JSON.stringify(mm1Doc({}, { name: 'From JSON' })));
  await page.getByTestId('edit-json-apply').click();
  await expect(modelName(page)).toHaveText('From JSON');
});

test('Models panel: open, rename, duplicate, delete with undo', async ({ page }) => {
  await openApp(page);
  for (const name of ['Alpha', 'Beta']) {
    await page.evaluate((doc) => window.__sandbox!.load(doc), mm1Doc({}, { name }));
    await flushed(page);
  }
  await expect(items(page)).toHaveCount(2);
  await expect(items(page).first()).toContainText('Beta');

  await page.getByRole('button', { name: 'Open Alpha' }).click();
  await expect(modelName(page)).toHaveText('Alpha');

  await page.getByRole('button', { name: 'Rename Alpha' }).click();
  await page.getByTestId('rename-input').fill('Alpha prime');
  await page.getByTestId('rename-save').click();
  await expect(modelName(page)).toHaveText('Alpha prime');
  await expect(page.getByRole('button', { name: 'Open Alpha prime' })).toBeVisible();

  await page.getByRole('button', { name: 'Duplicate Beta' }).click();
  await expect(page.getByRole('button', { name: 'Open Beta (copy)' })).toBeVisible();
  await expect(items(page)).toHaveCount(3);
  await shot(page, 'models-panel');

  await page.getByRole('button', { name: 'Delete Beta', exact: true }).click();
  await expect(items(page)).toHaveCount(2);
  await expect(page.getByTestId('undo-toast')).toContainText('Deleted "Beta"');
  await page.getByTestId('undo').click();
  await expect(items(page)).toHaveCount(3);
  await expect(page.getByRole('button', { name: 'Open Beta', exact: true })).toBeVisible();
  expect(await readStore(page, 'models')).toHaveLength(3);

  // Deleting the open model opens another; its record is gone from the store.
  await page.getByRole('button', { name: 'Delete Alpha prime' }).click();
  await expect(modelName(page)).not.toHaveText('Alpha prime');
  const names = ((await readStore(page, 'models')) as { name: string }[]).map((m) => m.name).sort();
  expect(names).toEqual(['Beta', 'Beta (copy)']);
});

test('Share: a fresh browser opens the same model and computes the same numbers', async ({ page, browser }) => {
  await openApp(page);
  await page.evaluate((doc) => window.__sandbox!.load(doc), mm1Doc({ seed: 99, replications: 2, until: '1000 s' }, { name: 'Shared M/M/1' }));
  await page.getByTestId('share').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/\/#m=z[A-Za-z0-9_-]+$/);
  await shot(page, 'share');
  const here = await page.evaluate(() => window.__sandbox!.run({ workers: 1 }));

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await openApp(other, link.slice(link.indexOf('/#')));
  await expect(modelName(other)).toHaveText('Shared M/M/1');
  await expect(other.getByTestId('edit-seed')).toHaveValue('99');
  // The link became a saved model, and the address no longer carries it.
  await expect(other.getByTestId('save-status')).toHaveAttribute('data-saved', 'true');
  expect(new URL(other.url()).hash).toBe('');
  const there = await other.evaluate(() => window.__sandbox!.run({ workers: 2 }));
  expect(comparable(there)).toEqual(comparable(here));
  // Opening the same link again opens that model, not a copy.
  await other.goto(link.slice(link.indexOf('/#')));
  await expect(modelName(other)).toHaveText('Shared M/M/1');
  await expect(items(other)).toHaveCount(1);
  await fresh.close();
});

test('a broken link is an error in words and leaves the saved model untouched', async ({ page }) => {
  await openApp(page);
  await typeInto(page, 'edit-name', 'Precious work');
  await flushed(page);
  const before = await readStore(page, 'models');

  const good = encodeShare(makeEnvelope(mm1Doc() as unknown as ModelDocument));
  const newer = packShareText(JSON.stringify({ format: 'systems-sandbox/share', version: 2, model: mm1Doc() }));
  const newerModel = encodeShare(makeEnvelope({ ...mm1Doc(), version: 7 } as unknown as ModelDocument));
  const cases: [string, RegExp][] = [
    [good.slice(0, -9), /incomplete|damaged/],
    [good.slice(0, 20) + (good[20] === 'A' ? 'B' : 'A') + good.slice(21), /damaged/],
    ['hello-world', /starts with "h"/],
    [newer, /newer version \(v2\)/],
    [newerModel, /newer version \(v7\)/]
  ];
  for (const [code, message] of cases) {
    await page.goto(`/#m=${code}`);
    const err = page.getByTestId('link-error');
    await expect(err).toBeVisible();
    await expect(err).toContainText(message);
    await expect(err).toContainText('Nothing was changed');
    // The user's model is open, as it was, and nothing was written.
    await expect(modelName(page)).toHaveText('Precious work');
  }
  await shot(page, 'broken-link');
  await page.waitForTimeout(700);
  expect(await readStore(page, 'models')).toEqual(before);
});

test('files: export the model, import it by dropping, refuse what is not a model', async ({ page }) => {
  await openApp(page);
  await typeInto(page, 'edit-name', 'Exported');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-model').click()]);
  expect(download.suggestedFilename()).toBe('exported.json');
  const text = readFileSync(await download.path(), 'utf8');
  const decoded = decodeFile(text, 'exported.json');
  expect(decoded.ok).toBe(true);
  if (decoded.ok) expect(decoded.value.name).toBe('Exported');

  const drop = async (name: string, body: string) => {
    const dt = await page.evaluateHandle(
      ({ name, body }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([body], name, { type: 'application/json' }));
        return dt;
      },
      { name, body }
    );
    await page.dispatchEvent('main', 'dragenter', { dataTransfer: dt });
    await expect(page.getByTestId('drop-overlay')).toBeVisible();
    await page.dispatchEvent('main', 'drop', { dataTransfer: dt });
  };
  await drop('dropped.json', JSON.stringify(mm1Doc({}, { name: 'Dropped' })));
  await expect(modelName(page)).toHaveText('Dropped');
  await expect(page.getByTestId('model-source')).toHaveText('dropped.json');
  await flushed(page);
  expect(((await readStore(page, 'models')) as { name: string }[]).map((m) => m.name).sort()).toEqual(['Dropped', 'Exported']);

  await drop('notes.txt', 'just some text');
  await expect(page.getByTestId('issues')).toContainText('not valid JSON');
  await drop('other.json', JSON.stringify({ hello: 'world' }));
  await expect(page.getByTestId('issues')).toContainText('format');
  await drop('future.json', JSON.stringify({ ...mm1Doc(), version: 9 }));
  await expect(page.getByTestId('issues')).toContainText('newer version (v9)');
  await expect(modelName(page)).toHaveText('Dropped');
});

test('Runs panel: each run is kept; reopen, compare, export, delete with undo', async ({ page }) => {
  await openApp(page);
  await page.evaluate((doc) => window.__sandbox!.load(doc), mm1Doc({ seed: 1, replications: 2, until: '500 s' }, { name: 'Runs test' }));
  const first = await page.evaluate(() => window.__sandbox!.run({ workers: 1 }));
  await typeInto(page, 'edit-seed', '2');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toBeVisible();
  const runsList = page.getByTestId('run-item');
  await expect(runsList).toHaveCount(2);

  // Results downloads: CSV rows carry the summary's numbers, JSON is the CLI report.
  const second = await page.evaluate(() => window.__sandbox!.lastSummary!);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const rows = readFileSync(await csv.path(), 'utf8').trim().split('\r\n').map((r) => r.split(','));
  expect(rows[0]).toEqual([...CSV_HEADER]);
  expect(Number(rows.find((r) => r[0] === 'done' && r[2] === 'response')![4])).toBe(second.nodes.done.response.mean);
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const report = JSON.parse(readFileSync(await json.path(), 'utf8'));
  expect(report).toMatchObject({ format: 'systems-sandbox/results', version: 1, seed: 2 });
  expect(report.nodes.srv.throughput.mean).toBe(second.nodes.srv.throughput.mean);

  // Reopen the older run (seed 1): its own numbers, from its own snapshot.
  await runsList.nth(1).getByTestId('run-reopen').click();
  await expect(page.getByTestId('opened-run')).toBeVisible();
  await expect(page.getByTestId('cell-done-response')).toHaveAttribute('data-mean', String(first.nodes.done.response.mean));
  await page.getByTestId('opened-run-close').click();

  // Compare both.
  await runsList.nth(0).getByTestId('run-pick').check();
  await runsList.nth(1).getByTestId('run-pick').check();
  await page.getByTestId('runs-compare').click();
  const row = page.getByTestId('compare-done-response');
  await expect(row).toBeVisible();
  const [a, b] = [Number(await row.getAttribute('data-a')), Number(await row.getAttribute('data-b'))];
  expect([a, b].sort()).toEqual([first.nodes.done.response.mean, second.nodes.done.response.mean].sort());
  await expect(page.getByTestId('compare-same')).toContainText('Same model, different seeds');
  await shot(page, 'runs-compare');

  // The history survives a reload; delete one, undo.
  await page.reload();
  await expect(runsList).toHaveCount(2);
  await runsList.first().getByTestId('run-delete').click();
  await expect(runsList).toHaveCount(1);
  await page.getByTestId('undo').click();
  await expect(runsList).toHaveCount(2);
  expect(await readStore(page, 'runData')).toHaveLength(2);
  await shot(page, 'runs-panel');
});

test('the history limit deletes the oldest runs only when the user agrees', async ({ page }) => {
  await openApp(page);
  await page.evaluate((doc) => window.__sandbox!.load(doc), mm1Doc({ replications: 2, until: '200 s' }, { name: 'Limit' }));
  for (let i = 0; i < 3; i++) await page.evaluate(() => window.__sandbox!.run({ workers: 1 }));
  const runsList = page.getByTestId('run-item');
  await expect(runsList).toHaveCount(3);
  await page.evaluate(() => window.__sandbox!.setRunLimits({ maxRuns: 2 }));
  const offer = page.getByTestId('prune-offer');
  await expect(offer).toContainText('Delete the 1 oldest run');
  await page.getByTestId('prune-keep').click();
  await expect(runsList).toHaveCount(3);

  await page.evaluate(() => window.__sandbox!.setRunLimits({ maxRuns: 1 }));
  await expect(offer).toContainText('2 oldest runs');
  await shot(page, 'prune-offer');
  const newest = await runsList.first().getAttribute('data-id');
  await page.getByTestId('prune-confirm').click();
  await expect(runsList).toHaveCount(1);
  await expect(runsList.first()).toHaveAttribute('data-id', newest!);
  expect(await readStore(page, 'runs')).toHaveLength(1);
});

test('a damaged saved record is reported where it is wrong and replaces nothing', async ({ page }) => {
  await openApp(page);
  await typeInto(page, 'edit-name', 'Good one');
  await flushed(page);
  const [good] = (await readStore(page, 'models')) as Record<string, unknown>[];
  const bad = structuredClone(good) as { id: string; name: string; updatedAt: number; hash: string; envelope: { model: ModelDocument } };
  bad.id = 'broken';
  bad.name = 'Broken';
  bad.updatedAt = 1;
  (bad.envelope.model.nodes[1] as { params?: unknown }).params = { capacity: 'ten' };
  await writeRecord(page, 'models', bad);
  await writeRecord(page, 'models', { id: 'junk', name: 42 });
  await page.reload();
  await expect(modelName(page)).toHaveText('Good one');
  await expect(page.getByTestId('model-damaged')).toContainText('name');
  await page.getByRole('button', { name: 'Open Broken' }).click();
  const issues = page.getByTestId('issues');
  await expect(issues).toContainText('Could not open the saved model "Broken"');
  await expect(issues).toContainText('envelope.model.nodes[1].params.capacity');
  await expect(modelName(page)).toHaveText('Good one');
  await shot(page, 'damaged-record');
});

test('a full disk is reported in words, and the next successful save clears it', async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __failWrites?: boolean };
    for (const method of ['put', 'add'] as const) {
      const original = IDBObjectStore.prototype[method];
      IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args: Parameters<typeof original>) {
        if (w.__failWrites) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return original.apply(this, args);
      } as typeof original;
    }
  });
  await openApp(page);
  await page.evaluate(() => ((window as unknown as { __failWrites: boolean }).__failWrites = true));
  await typeInto(page, 'edit-name', 'Will not fit');
  const err = page.getByTestId('storage-error');
  await expect(err).toContainText("Could not save the model: the browser's storage for this site is full");
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'error');
  // The edit is still on screen.
  await expect(modelName(page)).toHaveText('Will not fit');
  await shot(page, 'storage-full');
  await page.evaluate(() => ((window as unknown as { __failWrites: boolean }).__failWrites = false));
  await typeInto(page, 'edit-name', 'Fits now');
  await flushed(page);
  await expect(err).toHaveCount(0);
});

test('a newer version upgrading the storage in another tab is reported, and so is opening it', async ({ page }) => {
  await openApp(page);
  await typeInto(page, 'edit-name', 'Before upgrade');
  await flushed(page);
  // "Another tab" with a newer app opens the database at a higher version.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('systems-sandbox', 50);
        req.onsuccess = () => {
          req.result.close();
          resolve();
        };
        req.onerror = () => reject(req.error);
      })
  );
  await expect(page.getByTestId('storage-error')).toContainText('A newer version of Systems Sandbox was opened in another tab');
  await page.reload();
  await expect(page.getByTestId('storage-error')).toContainText('written by a newer version');
  await shot(page, 'storage-newer');
});

test('two tabs on one model stay in step, and neither overwrites the other', async ({ context }) => {
  const a = await context.newPage();
  await openApp(a);
  await typeInto(a, 'edit-name', 'Shared work');
  await flushed(a);
  const b = await context.newPage();
  await openApp(b);
  await expect(modelName(b)).toHaveText('Shared work');

  // A edits: B follows without a reload.
  await typeInto(a, 'edit-name', 'Shared work v2');
  await flushed(a);
  await expect(modelName(b)).toHaveText('Shared work v2');

  // A tab that hears nothing (frozen, or its message lost) edits the same model: its save
  // would overwrite A's, so it keeps its version as a copy instead.
  const deaf = await context.newPage();
  await deaf.addInitScript(() => {
    (window as unknown as { BroadcastChannel: unknown }).BroadcastChannel = class {
      onmessage = null;
      postMessage() {}
      close() {}
    };
  });
  await openApp(deaf);
  await expect(modelName(deaf)).toHaveText('Shared work v2');
  await typeInto(a, 'edit-name', 'From tab A');
  await flushed(a);
  await typeInto(deaf, 'edit-name', 'From tab C');
  await deaf.evaluate(() => window.__sandbox!.flush());
  await expect(deaf.getByTestId('notice')).toContainText('Nothing was overwritten');
  await expect(modelName(deaf)).toHaveText('From tab C');
  await expect(deaf.getByTestId('model-source')).toHaveText('edited in two tabs');
  await expect(modelName(a)).toHaveText('From tab A');
  await deaf.evaluate(() => window.__sandbox!.flush());
  const records = (await readStore(a, 'models')) as { name: string; origin: string }[];
  expect(records.map((m) => `${m.name} / ${m.origin}`).sort()).toEqual(['From tab A / mm1.json', 'From tab C / edited in two tabs']);
  await shot(deaf, 'two-tabs-conflict');
});

test('killing the browser a second after an edit loses nothing', async ({ browserName }, info) => {
  test.skip(browserName !== 'chromium');
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-kill-'));
  const base = String(info.project.use.baseURL);
  const launch = info.project.use.launchOptions ?? {};
  const start = () => chromium.launchPersistentContext(dir, { ...launch, viewport: { width: 1280, height: 900 } });
  try {
    const first = await start();
    const page = first.pages()[0] ?? (await first.newPage());
    await openApp(page, `${base}/`);
    await typeInto(page, 'edit-name', 'Survives a crash');
    await page.waitForTimeout(1000);
    // SIGKILL every process of this browser (found by its profile folder): no pagehide, no
    // clean shutdown, as when the machine's browser crashes or is killed.
    const pids = execSync(`pgrep -f -- '--user-data-dir=${dir}' || true`).toString().trim().split(/\s+/).filter(Boolean);
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    await first.close().catch(() => undefined);

    const second = await start();
    const again = second.pages()[0] ?? (await second.newPage());
    await openApp(again, `${base}/`);
    await expect(modelName(again)).toHaveText('Survives a crash');
    await second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
