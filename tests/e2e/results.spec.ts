/**
 * Results, charts, sweeps and comparisons, in Chromium against the production build: the charts
 * (uPlot, canvas) are checked by the colour of what they drew, the numbers through the typed
 * test API and data-* attributes (tests/README.md), and every test leaves a PNG to look at.
 */
import { expect, test, type Page } from '@playwright/test';
import { openApp, shot } from './helpers.ts';
import { BLUE, FAULT, ORANGE, PINK, expectDrawn, pixelsOf, shotOf } from './charts.ts';
import { mm1Doc } from './models.ts';
import { bigCanvasModel } from '../fixtures/bigCanvas.ts';

async function loadDoc(page: Page, doc: unknown): Promise<void> {
  const r = await page.evaluate((d) => window.__sandbox!.load(d), doc);
  expect(r.ok).toBe(true);
}

async function openExample(page: Page, file: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Example model' }).selectOption(file);
  await expect(page.getByTestId('model-source')).toHaveText(file);
}

test('a run shows p50 to p99.9, time series and the latency histogram and CDF', async ({ page }) => {
  const errors = await openApp(page);
  await loadDoc(page, mm1Doc({ until: '4000 s', warmup: '200 s', replications: 4, bucket: '50 s' }));
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('results')).toBeVisible({ timeout: 60_000 });
  const summary = (await page.evaluate(() => window.__sandbox!.lastSummary))!;

  // Every percentile column, with its interval and (M/M/1: sojourn ~ Exp(1)) theory beside it.
  for (const [p, q] of [['p50', 0.5], ['p90', 0.9], ['p95', 0.95], ['p99', 0.99], ['p999', 0.999]] as const) {
    const cell = page.getByTestId(`cell-done-${p}`);
    await expect(cell).toHaveAttribute('data-mean', String(summary.nodes.done.response[p]));
    expect(Number(await cell.getAttribute('data-analytic'))).toBeCloseTo(-Math.log(1 - q), 6);
  }

  // Time series: one bucket per 50 s, each chart drawn.
  await expect(page.getByTestId('time-series')).toHaveAttribute('data-buckets', '80');
  // Each node keeps its palette colour: the queue (orange) and the sink (pink) here.
  await expectDrawn(page, 'chart-throughput', ORANGE);
  await expectDrawn(page, 'chart-inSystem', ORANGE);
  await expectDrawn(page, 'chart-p99', PINK);
  await expect(page.getByTestId('chart-goodput')).toBeVisible();

  // Latency of the sink: every request after warm-up, pooled; histogram and CDF drawn.
  await expect(page.getByTestId('latency-node')).toHaveValue('done');
  await expect(page.getByTestId('latency-summary')).toHaveAttribute('data-count', String(summary.nodes.done.response.count));
  await expectDrawn(page, 'chart-histogram');
  await expectDrawn(page, 'chart-cdf');
  // Another node: the queue's waiting times.
  await page.getByTestId('latency-node').selectOption('q');
  await expect(page.getByTestId('latency-summary')).toHaveAttribute('data-count', String(summary.nodes.q.response.count));
  await expectDrawn(page, 'chart-cdf');

  await shot(page, 'results-charts');
  await shotOf(page, 'time-series', 'results-time-series');
  await shotOf(page, 'latency-charts', 'results-latency');
  await shotOf(page, 'results', 'results-table');
  expect(errors).toEqual([]);
});

test('the retry storm: clients table, goodput collapsing inside the shaded fault window', async ({ page }) => {
  await openApp(page);
  await openExample(page, 'metastable-retry-storm.json');
  await page.evaluate(() => window.__sandbox!.run({ replications: 2 }));
  const s = (await page.evaluate(() => window.__sandbox!.lastSummary))!;
  const c = s.clients!.clients;

  // The clients' block, each with its interval: retries amplify the load.
  for (const key of ['offered', 'goodput', 'attempts', 'retries', 'timeouts', 'amplification', 'wasted']) {
    await expect(page.getByTestId(`client-clients-${key}`)).toHaveAttribute('data-mean', String((c as unknown as Record<string, { mean: number }>)[key].mean));
  }
  expect(c.amplification.mean).toBeGreaterThan(2);
  expect(c.goodput.mean).toBeLessThan(c.offered.mean / 2);

  // The fault window [300 s, 900 s] is shaded on the time-series charts.
  await expect(page.getByTestId('time-series')).toHaveAttribute('data-faults', '1');
  await expectDrawn(page, 'chart-goodput');
  expect(await pixelsOf(page, 'chart-goodput', FAULT)).toBeGreaterThan(1000);
  // Before the spike goodput is the offered 5/s; long after it, near zero (metastable).
  const good = s.clients!.clients.series.goodput;
  const b = s.series.bucket;
  const avg = (from: number, to: number) => {
    const xs = good.slice(Math.round(from / b), Math.round(to / b));
    return xs.reduce((x, y) => x + y, 0) / xs.length;
  };
  expect(avg(50, 300)).toBeGreaterThan(4);
  expect(avg(1500, 2700)).toBeLessThan(1);

  await shot(page, 'results-retry-storm');
  await shotOf(page, 'time-series', 'results-retry-storm-series');
  await shotOf(page, 'clients', 'results-retry-storm-clients');
});

test('kind-specific measures: the host CPU split and the batcher estimate', async ({ page }) => {
  await openApp(page);
  await openExample(page, 'nic-as-os.json');
  await page.evaluate(() => window.__sandbox!.run({ replications: 2, until: 0.2 }));
  const s = (await page.evaluate(() => window.__sandbox!.lastSummary))!;
  const bar = page.getByTestId('cpu-bar-host');
  await expect(bar).toBeVisible();
  // Every core is always in one category: the split adds up to the host's 4 cores.
  const total = Number(await bar.getAttribute('data-total'));
  expect(total).toBeCloseTo(4, 6);
  expect(await bar.locator('.seg').count()).toBeGreaterThan(1);
  await expect(page.getByTestId('cpu-bar-host-0')).toBeVisible();
  expect(s.nodes.host.extras!['cpu.handler'].mean).toBeGreaterThan(1);
  await shotOf(page, 'node-extras', 'results-cores');

  await openExample(page, 'batching.json');
  await page.evaluate(() => window.__sandbox!.run({ replications: 2, until: 1 }));
  const est = page.getByTestId('batcher-estimate-sender');
  const measured = page.getByTestId('batcher-measured-sender');
  await expect(est).toBeVisible();
  // The batcher's Little's-law estimate of the end-to-end time is near what the sink measured.
  const e = Number(await est.getAttribute('data-mean'));
  const m = Number(await measured.getAttribute('data-mean'));
  expect(Math.abs(e - m) / m).toBeLessThan(0.5);
  await shotOf(page, 'node-extras', 'results-batcher');
});

test('a sweep of λ on the M/M/1 plots W with confidence bands, beside theory', async ({ page }) => {
  const errors = await openApp(page);
  await openExample(page, 'mm1.json');
  const panel = page.getByTestId('sweep-panel');
  await panel.getByTestId('sweep-axis1-param').selectOption('clients:rate');
  await panel.getByTestId('sweep-axis1-from').fill('0.2/s');
  await panel.getByTestId('sweep-axis1-to').fill('1.6/s');
  await panel.getByTestId('sweep-axis1-steps').fill('8');
  await panel.getByTestId('sweep-node').selectOption('done');
  await panel.getByTestId('sweep-metric').selectOption('response');
  await panel.getByTestId('sweep-reps').fill('4');
  await panel.getByTestId('sweep-until').fill('4000 s');
  await panel.getByTestId('sweep-run').click();
  await expect(panel.getByTestId('sweep-status')).toHaveText('Done.', { timeout: 90_000 });

  const sweep = (await page.evaluate(() => window.__sandbox!.lastSweep))!;
  expect(sweep.status).toBe('done');
  const pts = sweep.points.map((p) => p!);
  expect(pts.map((p) => p.values[0])).toEqual([0.2, 0.4, 0.6, 0.8, 1, 1.2, 1.4, 1.6]);
  // Common random numbers: the same arrivals, scaled, and the same services at every point,
  // so W rises with λ from point to point.
  for (let i = 1; i < pts.length; i++) expect(pts[i].mean).toBeGreaterThan(pts[i - 1].mean);
  // Theory W = 1/(μ − λ), μ = 2, beside each point; the bands are real intervals around it.
  for (const p of pts) {
    expect(p.theory).toBeCloseTo(1 / (2 - p.values[0]), 9);
    expect(p.ci[1]).toBeGreaterThan(p.ci[0]);
    const half = (p.ci[1] - p.ci[0]) / 2;
    expect(Math.abs(p.mean - p.theory!)).toBeLessThan(4 * half);
  }
  // The chart: mean, the band's two edges and theory; the band is filled.
  const chart = page.getByTestId('sweep-chart');
  await expect(chart).toHaveAttribute('data-series', '4');
  await expect(chart).toHaveAttribute('data-points', '8');
  await expectDrawn(page, 'sweep-chart', BLUE);
  await shot(page, 'sweep-mm1');
  await shotOf(page, 'sweep-panel', 'sweep-mm1-panel');
  expect(errors).toEqual([]);
});

test('a sweep can be cancelled at any moment, and refuses values the model refuses', async ({ page }) => {
  await openApp(page);
  await loadDoc(page, mm1Doc({ until: '2000000 s', replications: 2 }));
  const panel = page.getByTestId('sweep-panel');
  await panel.getByTestId('sweep-axis1-param').selectOption('srv:servers');
  await panel.getByTestId('sweep-axis1-from').fill('1');
  await panel.getByTestId('sweep-axis1-to').fill('2.5');
  await panel.getByTestId('sweep-axis1-steps').fill('4');
  // Whole numbers are rounded: 1, 1.5→2, 2, 2.5→3 gives 1, 2, 3.
  await expect(panel).toContainText('3 points');
  await panel.getByTestId('sweep-run').click();
  await expect(panel.getByTestId('sweep-progress-text')).toContainText('events');
  await panel.getByTestId('sweep-cancel').click();
  await expect(panel.getByTestId('sweep-status')).toContainText('Cancelled');
  await expect(panel.getByTestId('sweep-run')).toBeEnabled();

  // A value the kind refuses: a located message, and nothing runs.
  await panel.getByTestId('sweep-axis1-param').selectOption('clients:rate');
  await panel.getByTestId('sweep-axis1-from').fill('-1');
  await panel.getByTestId('sweep-axis1-to').fill('1');
  await panel.getByTestId('sweep-axis1-steps').fill('3');
  await panel.getByTestId('sweep-run').click();
  const issues = panel.getByTestId('sweep-issues');
  await expect(issues).toContainText('nodes[0].params.rate');
  await expect(issues).toContainText('rate = -1');
  await expect(panel.getByTestId('sweep-status')).toContainText('Cancelled');
  await shot(page, 'sweep-refused');
});

test('two runs from the history compared with their charts overlaid', async ({ page }) => {
  await openApp(page);
  await loadDoc(page, mm1Doc({ seed: 1, replications: 2, until: '2000 s', bucket: '20 s' }, { name: 'Compare A' }));
  await page.evaluate(() => window.__sandbox!.run());
  await loadDoc(page, {
    ...mm1Doc({ seed: 1, replications: 2, until: '2000 s', bucket: '20 s' }, { name: 'Compare B' }),
    nodes: mm1Doc().nodes.map((n) => (n.id === 'clients' ? { ...n, params: { rate: '1.5/s' } } : n))
  });
  await page.evaluate(() => window.__sandbox!.run());
  const runs = page.getByTestId('run-item');
  await expect(runs).toHaveCount(2);
  await runs.nth(0).getByTestId('run-pick').check();
  await runs.nth(1).getByTestId('run-pick').check();
  await page.getByTestId('runs-compare').click();
  await expect(page.getByTestId('run-compare')).toBeVisible();
  await expect(page.getByTestId('compare-node')).toHaveValue('done');
  await expectDrawn(page, 'compare-chart-series', BLUE);
  await expectDrawn(page, 'compare-chart-cdf', BLUE);
  // The history lists the newest first: A is "Compare B" (λ = 1.5/s), B the lighter run, drawn
  // too, in the second colour.
  await expectDrawn(page, 'compare-chart-cdf', ORANGE);
  // The queue under both loads, both drawn (A, the heavier, in blue; B in orange).
  await page.getByTestId('compare-node').selectOption('q');
  await page.getByTestId('compare-measure').selectOption('inSystem');
  await expectDrawn(page, 'compare-chart-series', ORANGE);
  await shot(page, 'runs-compare-charts');
  await shotOf(page, 'run-compare', 'runs-compare-panel');
});

test('a two-parameter sweep as a heat map: λ across, mean service up, W in every cell', async ({ page }) => {
  const errors = await openApp(page);
  await loadDoc(page, mm1Doc({ until: '2000 s', replications: 3 }));
  const panel = page.getByTestId('sweep-panel');
  await panel.getByTestId('sweep-axis1-param').selectOption('clients:rate');
  await panel.getByTestId('sweep-axis1-from').fill('0.4/s');
  await panel.getByTestId('sweep-axis1-to').fill('1.6/s');
  await panel.getByTestId('sweep-axis1-steps').fill('4');
  await panel.getByTestId('sweep-two').check();
  await panel.getByTestId('sweep-axis2-param').selectOption('srv:service.mean');
  await panel.getByTestId('sweep-axis2-from').fill('300 ms');
  await panel.getByTestId('sweep-axis2-to').fill('500 ms');
  await panel.getByTestId('sweep-axis2-steps').fill('3');
  await panel.getByTestId('sweep-node').selectOption('done');
  await panel.getByTestId('sweep-metric').selectOption('response');
  await expect(panel).toContainText('12 points');
  await panel.getByTestId('sweep-run').click();
  await expect(panel.getByTestId('sweep-status')).toHaveText('Done.', { timeout: 90_000 });

  const heat = page.getByTestId('sweep-heatmap');
  await expect(heat).toHaveAttribute('data-cols', '4');
  await expect(heat).toHaveAttribute('data-rows', '3');
  await expect(heat).toHaveAttribute('data-measured', '12');
  // The smallest W (λ = 0.4, 300 ms) is the scale's light end, the largest (λ = 1.6, 500 ms:
  // ρ = 0.8) its dark end; both are drawn.
  await expectDrawn(page, 'sweep-heatmap', [253, 231, 37]);
  await expectDrawn(page, 'sweep-heatmap', [68, 1, 84]);
  const pts = (await page.evaluate(() => window.__sandbox!.lastSweep))!.points.map((p) => p!);
  // First parameter fastest; with common random numbers W grows along each row and up each column.
  for (let r = 0; r < 3; r++) for (let c = 1; c < 4; c++) expect(pts[r * 4 + c].mean).toBeGreaterThan(pts[r * 4 + c - 1].mean);
  for (let c = 0; c < 4; c++) for (let r = 1; r < 3; r++) expect(pts[r * 4 + c].mean).toBeGreaterThan(pts[(r - 1) * 4 + c].mean);
  // M/M/1 theory beside each cell: W = s/(1 − λs).
  for (const p of pts) expect(p.theory).toBeCloseTo(p.values[1] / (1 - p.values[0] * p.values[1]), 9);

  // Pointing at the top-right cell reads its value and interval in words.
  await heat.scrollIntoViewIfNeeded();
  const box = (await heat.locator('canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width - 100, box.y + 20);
  await expect(page.getByTestId('heatmap-hover')).toContainText('to');
  await expect(page.getByTestId('heatmap-hover')).toContainText('theory');
  await shotOf(page, 'sweep-panel', 'sweep-heatmap');
  expect(errors).toEqual([]);
});

test('time series: the mean of the replications with its confidence band', async ({ page }) => {
  const errors = await openApp(page);
  await loadDoc(page, mm1Doc({ until: '4000 s', warmup: '200 s', replications: 6, bucket: '100 s' }));
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('results')).toBeVisible({ timeout: 60_000 });
  const series = page.getByTestId('time-series');
  await expect(series).toHaveAttribute('data-replications', '6');
  await expect(series).toContainText('The mean of 6 replications');
  // Each line has its band: throughput of the queue (orange) is drawn, as is its band.
  const chart = page.getByTestId('chart-throughput');
  // Three nodes (q, srv, done) × (mean, high, low).
  await expect(chart).toHaveAttribute('data-series', '9');
  await expectDrawn(page, 'chart-throughput', ORANGE);
  await shotOf(page, 'time-series', 'results-time-series-bands');

  // One replication: replication 1, no bands.
  await loadDoc(page, mm1Doc({ until: '4000 s', warmup: '200 s', replications: 1, bucket: '100 s' }));
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('time-series')).toHaveAttribute('data-replications', '1');
  await expect(page.getByTestId('chart-throughput')).toHaveAttribute('data-series', '3');
  expect(errors).toEqual([]);
});

test('after an edit the stale results keep the theory of the model they were computed from', async ({ page }) => {
  const errors = await openApp(page);
  await loadDoc(page, mm1Doc({ until: '2000 s', warmup: '100 s', replications: 3 }));
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('results')).toBeVisible({ timeout: 60_000 });
  // M/M/1, λ = 1, E[S] = 0.5 s: W = 1/(μ − λ) = 1 s.
  const w = page.getByTestId('cell-done-response');
  expect(Number(await w.getAttribute('data-analytic'))).toBeCloseTo(1, 9);
  // Edit the service time in the inspector: the model changes, the results on show do not.
  await page.getByTestId('outline-node-srv').click();
  await page.getByTestId('param-service-mean').fill('800 ms');
  await page.getByTestId('param-service-mean').press('Enter');
  await expect.poll(() => page.evaluate(() => (window.__sandbox!.editor!.document() as { nodes: { id: string; params?: { service?: { mean?: string } } }[] }).nodes.find((n) => n.id === 'srv')?.params?.service?.mean)).toBe('800 ms');
  await expect(page.getByTestId('results-stale')).toBeVisible();
  // Theory for the edited model would be 1/(1.25 − 1) = 4 s; the cell still says 1 s.
  expect(Number(await w.getAttribute('data-analytic'))).toBeCloseTo(1, 9);
  await shot(page, 'results-stale-theory');
  expect(errors).toEqual([]);
});

test('the NIC scenario swept over total load: every client scaled, p99 rising with load', async ({ page }) => {
  const errors = await openApp(page);
  await openExample(page, 'nic-as-os.json');
  const panel = page.getByTestId('sweep-panel');
  await panel.getByTestId('sweep-axis1-param').selectOption('*:load');
  await panel.getByTestId('sweep-axis1-from').fill('0.25');
  await panel.getByTestId('sweep-axis1-to').fill('1');
  await panel.getByTestId('sweep-axis1-steps').fill('3');
  await panel.getByTestId('sweep-node').selectOption('done');
  await panel.getByTestId('sweep-metric').selectOption('p99');
  await panel.getByTestId('sweep-reps').fill('2');
  await panel.getByTestId('sweep-until').fill('200 ms');
  await panel.getByTestId('sweep-run').click();
  await expect(panel.getByTestId('sweep-status')).toHaveText('Done.', { timeout: 90_000 });
  const sweep = (await page.evaluate(() => window.__sandbox!.lastSweep))!;
  const pts = sweep.points.map((p) => p!);
  expect(pts.map((p) => p.values[0])).toEqual([0.25, 0.625, 1]);
  // Sixteen services on four cores: the tail grows with the total load.
  expect(pts[2].mean).toBeGreaterThan(pts[0].mean);
  await shotOf(page, 'sweep-panel', 'sweep-nic-load');
  expect(errors).toEqual([]);
});

test('a run of a 120-node model: the table pages and filters, the charts draw the busiest nodes, badges only near the view', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = await openApp(page);
  const doc = bigCanvasModel({ rows: 6, columns: 20, edges: 130 });
  await loadDoc(page, { ...doc, run: { until: '30 s', replications: 2 } });
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('results')).toBeVisible({ timeout: 120_000 });
  const summary = (await page.evaluate(() => window.__sandbox!.lastSummary))!;
  const total = doc.nodes.filter((n) => summary.nodes[n.id]).length;
  expect(total).toBeGreaterThan(100);

  // 50 nodes a page, in the model's order; the rest one click (or one filter) away.
  const range = page.getByTestId('results-range');
  const nodeRows = page.locator('[data-testid="results"] tbody tr[data-testid^="row-"]:not([data-testid$="-station"])');
  await expect(range).toHaveText(`Nodes 1–50 of ${total}`);
  await expect(nodeRows).toHaveCount(50);
  await expect(nodeRows.first()).toHaveAttribute('data-testid', `row-${doc.nodes[0].id}`);
  await expect(page.getByTestId('results-prev')).toBeDisabled();
  await page.getByTestId('results-next').click();
  await page.getByTestId('results-next').click();
  await expect(range).toHaveText(`Nodes 101–${total} of ${total}`);
  await expect(nodeRows).toHaveCount(total - 100);
  await expect(page.getByTestId('results-next')).toBeDisabled();
  const last = doc.nodes.at(-1)!.id;
  await expect(page.getByTestId(`cell-${last}-throughput`)).toHaveAttribute('data-mean', String(summary.nodes[last].throughput.mean));
  // The filter starts again at its first page.
  await page.getByTestId('results-filter').fill('server 1');
  const servers = doc.nodes.filter((n) => (n.label ?? '').toLowerCase().includes('server 1') && summary.nodes[n.id]);
  await expect(range).toHaveText(`Nodes 1–${servers.length} of ${servers.length} matching (${total} in all)`);
  await expect(nodeRows).toHaveCount(servers.length);
  await shotOf(page, 'results-card', 'results-paged');
  await page.getByTestId('results-filter').fill('nothing like it');
  await expect(range).toHaveText('No node matches “nothing like it”.');

  // The time series draw the busiest 12 nodes per chart and say how many they leave out.
  await expect(page.getByTestId('chart-throughput-omitted')).toContainText('The 12 nodes with the highest mean throughput are drawn');

  // Run badges exist for every node but are drawn only near the view: zoomed in on one node,
  // a few; with the whole model in view, all of them.
  const badges = Object.keys(await page.evaluate(() => window.__sandbox!.editor!.liveBadges())).length;
  expect(badges).toBeGreaterThan(100);
  await page.evaluate(() => window.__sandbox!.editor!.setViewport({ x: -1500, y: 0, zoom: 1.5 }));
  await expect.poll(() => page.evaluate(() => window.__sandbox!.editor!.stats()!.badges)).toBeGreaterThan(0);
  expect(await page.evaluate(() => window.__sandbox!.editor!.stats()!.badges)).toBeLessThan(badges / 2);
  await page.evaluate(() => window.__sandbox!.editor!.fit());
  await expect.poll(() => page.evaluate(() => window.__sandbox!.editor!.stats()!.badges)).toBe(badges);
  expect(errors).toEqual([]);
});
