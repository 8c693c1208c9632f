/**
 * The Analysis card (src/lib/components/analysis): the metastability analysis in its worker (drift
 * field with the basin boundary, the Markov chain's recovery time for bound 150 against bound 35),
 * a small trigger sweep across experiment workers that paints both a stable and a metastable
 * cell, and the consensus odds with their tables. Numbers come from the page's data-value
 * attributes (what the analysis computed), never from constants here.
 */
import { expect, test, type Page } from '@playwright/test';
import { openApp, shot } from './helpers.ts';
import { pixelsOf, shotOf } from './charts.ts';

async function openFromGallery(page: Page, file: string): Promise<void> {
  await page.getByTestId('gallery-button').click();
  await expect(page.getByTestId('gallery')).toBeVisible();
  await page.getByTestId(`gallery-item-${file.replace(/\.json$/, '')}`).click();
  await page.getByTestId('gallery-open-selected').click();
  await expect(page.getByTestId('gallery')).toHaveCount(0);
  await expect(page.getByTestId('model-source')).toHaveText(file);
}

async function openAnalysis(page: Page): Promise<void> {
  const toggle = page.getByTestId('analysis-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

/** Run the metastability analysis and return the expected recovery time it reports, s. */
async function recoveryTime(page: Page): Promise<number> {
  await openAnalysis(page);
  await page.getByTestId('meta-run').click();
  const view = page.getByTestId('metastability-view');
  await expect(view).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  const v = Number(await page.getByTestId('meta-recovery').getAttribute('data-value'));
  expect(Number.isFinite(v) && v > 0).toBe(true);
  return v;
}

test('metastability: the drift field has its boundary; bound 150 recovers far more slowly than bound 35', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = await openApp(page);
  await openFromGallery(page, 'metastable-retry-storm.json');
  await expect(page.getByTestId('analysis-card')).toBeVisible();
  const slow = await recoveryTime(page);

  const field = page.getByTestId('drift-field');
  await expect(field).toBeVisible();
  // Bound 150: a drained state, a saddle and a stuck one, and the saddle's stable manifold traced.
  expect((await field.getAttribute('data-equilibria'))!.split(',').sort()).toEqual(['drained', 'saddle', 'stuck']);
  expect(Number(await field.getAttribute('data-boundary-points'))).toBeGreaterThan(10);
  expect(Number(await field.getAttribute('data-arrows'))).toBeGreaterThan(100);
  // The boundary is drawn: its near-black dashes are on the canvas (arrows are coloured, the grid light grey).
  expect(await pixelsOf(page, 'drift-field', [26, 26, 26])).toBeGreaterThan(200);
  // The chain's numbers: a stationary law that is the stuck state, P(stuck) ≈ 1.
  expect(Number(await page.getByTestId('meta-mean-queue').getAttribute('data-value'))).toBeGreaterThan(100);
  expect(Number(await page.getByTestId('meta-p-stuck').getAttribute('data-value'))).toBeGreaterThan(0.5);
  await shotOf(page, 'metastability-view', 'analysis-drift-field-150');

  // The Chebyshev bound is a choice: it too gives a stuck state and a boundary.
  await page.getByTestId('meta-timeout-model').selectOption('chebyshev');
  await page.getByTestId('meta-run').click();
  await expect(page.getByTestId('metastability-view')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  await expect(field).toHaveAttribute('data-timeout-model', 'chebyshev');
  expect(Number(await field.getAttribute('data-boundary-points'))).toBeGreaterThan(10);

  await openFromGallery(page, 'metastable-retry-storm-bound-35.json');
  await page.getByTestId('meta-timeout-model').selectOption('erlang');
  const fast = await recoveryTime(page);
  // Bound 35 has no stuck state: only the drained equilibrium, no boundary.
  await expect(page.getByTestId('drift-field')).toHaveAttribute('data-equilibria', 'drained');
  await expect(page.getByTestId('drift-field')).toHaveAttribute('data-boundary-points', '0');
  expect(slow / fast).toBeGreaterThan(1e6);
  await shotOf(page, 'metastability-view', 'analysis-drift-field-35');
  expect(errors).toEqual([]);
});

test('trigger sweep across workers paints a stable and a metastable cell; the ramp shows hysteresis', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = await openApp(page);
  await openFromGallery(page, 'metastable-retry-storm.json');
  await openAnalysis(page);
  await page.getByTestId('trigger-base').fill('1');
  await page.getByTestId('trigger-rates').fill('8, 15');
  await page.getByTestId('trigger-lengths').fill('60, 300');
  await page.getByTestId('trigger-replications').fill('2');
  await page.getByTestId('trigger-workers').fill('2');
  await page.getByTestId('trigger-start').click();
  const view = page.getByTestId('trigger-view');
  await expect(view).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  const progress = page.getByTestId('trigger-progress');
  await expect(progress).toHaveAttribute('data-workers', '2');
  await expect(progress).toHaveAttribute('data-done', '8');
  const classes = await page.getByTestId('trigger-cell').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-class')));
  expect(classes).toHaveLength(4);
  expect(classes).toContain('stable');
  expect(classes).toContain('metastable');
  // The grid's cells are painted in the classes' colours (green and vermilion).
  expect(await pixelsOf(page, 'trigger-grid', [0, 158, 115])).toBeGreaterThan(200);
  expect(await pixelsOf(page, 'trigger-grid', [213, 94, 0])).toBeGreaterThan(200);
  await shotOf(page, 'trigger-view', 'analysis-trigger-sweep');

  // The ramp: 0.5× → 2.5× and back, short dwell, 2 ramps on 2 workers.
  const h = page.getByTestId('hysteresis-view');
  const inputs = h.locator('input');
  await inputs.nth(2).fill('3'); // levels 2.5, 7.5, 12.5 /s
  await inputs.nth(3).fill('600');
  await inputs.nth(4).fill('2');
  await inputs.nth(5).fill('2');
  await page.getByTestId('hysteresis-start').click();
  await expect(h).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('hysteresis-chart')).toBeVisible();
  const differs = await h.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-differs')));
  expect(differs).toContain('true');
  await shotOf(page, 'hysteresis-view', 'analysis-hysteresis');
  expect(errors).toEqual([]);
});

test('consensus odds: each group in percentages and nines, and the Raft and PBFT tables', async ({ page }) => {
  const errors = await openApp(page);
  await openFromGallery(page, 'consensus-odds.json');
  await openAnalysis(page);
  const nodes = page.getByTestId('consensus-node');
  await expect(nodes).toHaveCount(4);
  const both = async (id: string) => Number(await page.locator(`[data-node="${id}"]`).getByTestId('consensus-both').getAttribute('data-value'));
  // Three good nodes and nine cheap ones are about as live; racks undo the cheap nodes' win.
  const [good, cheap, goodRacks, cheapRacks] = [await both('good3'), await both('cheap9'), await both('good3racks'), await both('cheap9racks')];
  expect(Math.abs(good - cheap)).toBeLessThan(1e-4);
  expect(cheapRacks).toBeLessThan(goodRacks);
  expect(goodRacks).toBeLessThan(good);
  const tables = page.getByTestId('consensus-table');
  await expect(tables).toHaveCount(2);
  await expect(tables.nth(0)).toHaveAttribute('data-protocol', 'raft');
  await expect(tables.nth(1)).toHaveAttribute('data-protocol', 'pbft');
  // 7 rows (N = 3…9) × 8 columns (p = 1…8%).
  await expect(tables.nth(0).locator('tbody tr')).toHaveCount(7);
  await expect(tables.nth(0).locator('tbody tr').first().locator('td')).toHaveCount(8);
  // The table's N = 3, p = 1% cell is the model's own 3-good-node group.
  expect(Number(await tables.nth(0).locator('tbody tr').first().locator('td').first().getAttribute('data-value'))).toBeCloseTo(good, 12);
  await expect(page.getByTestId('consensus-domain-table')).toHaveCount(2);
  await shotOf(page, 'consensus-view', 'analysis-consensus');
  await shot(page, 'analysis-page');
  expect(errors).toEqual([]);
});
