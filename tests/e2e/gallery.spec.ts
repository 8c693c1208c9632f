/**
 * The gallery (opening screen): shown on a first visit, reopened by its button, the six ideas
 * with "coming" for those without a scenario, the validation models, an explanation panel with
 * the model's own notes as text, and one click to open a model ready to run. Then every entry is
 * opened and run (shortened where long) and checked for what it is meant to show.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openApp, shot } from './helpers.ts';
import { BLUE, FAULT, expectDrawn, pixelsOf, shotOf } from './charts.ts';

interface Entry {
  file: string;
  name: string;
  group: 'idea' | 'validation';
  idea?: number;
}
const INDEX = JSON.parse(readFileSync('static/models/index.json', 'utf8')) as Entry[];
/** The shell scripts (idea 5) listed beside the models; shell.spec.ts opens them. */
const SCRIPTS = JSON.parse(readFileSync('static/scripts/index.json', 'utf8')) as { file: string; idea: number }[];
const slug = (file: string) => file.replace(/\.json$/, '').replace(/[^\w-]/g, '-');
const notesOf = (file: string) => (JSON.parse(readFileSync(`static/models/${file}`, 'utf8')) as { notes: string }).notes;
const untilOf = (file: string) => {
  const until = (JSON.parse(readFileSync(`static/models/${file}`, 'utf8')) as { run: { until: number | string } }).run.until;
  return typeof until === 'number' ? until : Number.NaN;
};

/** Pretend not to be automated, so the page behaves as on a person's first visit. */
async function asAPerson(page: Page): Promise<void> {
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => false }));
}

async function openGallery(page: Page): Promise<void> {
  await page.getByTestId('gallery-button').click();
  await expect(page.getByTestId('gallery')).toBeVisible();
}

test('a first visit opens the gallery; closing it is remembered', async ({ page }) => {
  await asAPerson(page);
  const errors = await openApp(page);
  const gallery = page.getByTestId('gallery');
  await expect(gallery).toBeVisible();

  // The six ideas, in order; those without a scenario say "Coming" and why.
  for (const n of [1, 2, 3, 4, 5, 6]) await expect(page.getByTestId(`gallery-idea-${n}`)).toBeVisible();
  // Ideas without a scenario model say "Coming" (whichever they are when this runs).
  for (const n of [1, 2, 3, 4, 5, 6]) {
    if (!INDEX.some((x) => x.group === 'idea' && x.idea === n) && !SCRIPTS.some((x) => x.idea === n)) await expect(page.getByTestId(`gallery-coming-${n}`)).toContainText('Coming');
  }
  for (const e of INDEX.filter((x) => x.group === 'idea')) {
    await expect(page.getByTestId(`gallery-idea-${e.idea}`).getByTestId(`gallery-item-${slug(e.file)}`)).toBeVisible();
  }
  const validation = INDEX.filter((x) => x.group === 'validation');
  await expect(page.getByTestId('gallery-validation').getByRole('listitem')).toHaveCount(validation.length);

  // The explanation panel: the model's notes, as plain text.
  await page.getByTestId('gallery-item-metastable-retry-storm').click();
  await expect(page.getByTestId('gallery-explain-name')).toHaveText(INDEX.find((x) => x.file === 'metastable-retry-storm.json')!.name);
  await expect(page.getByTestId('gallery-notes')).toHaveText(notesOf('metastable-retry-storm.json'));
  await shot(page, 'gallery-first-visit');
  await shotOf(page, 'gallery', 'gallery-dialog');

  // Behind a modal dialog the page is inert; closing it shows the page and is remembered.
  await page.getByTestId('gallery-close').click();
  await expect(gallery).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('save-status')).toBeVisible();
  await expect(gallery).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a link opens its model, not the gallery, even on a first visit', async ({ page }) => {
  await asAPerson(page);
  await openApp(page, '/#m=not-a-valid-link');
  await expect(page.getByTestId('link-error')).toBeVisible();
  await expect(page.getByTestId('gallery')).toHaveCount(0);
});

/** Shortened runs for the tests (seconds); undefined: the model's own length. */
function shortRun(e: Entry): { until?: number; replications: number } {
  if (e.file === 'nic-as-os.json') return { until: 0.2, replications: 2 };
  if (e.file === 'batching.json') return { until: 1, replications: 2 };
  if (e.file.startsWith('metastable') || e.file.startsWith('retry-storm') || e.file === 'consensus-odds.json') return { replications: 2 };
  const until = untilOf(e.file);
  return { until: Number.isFinite(until) ? Math.min(until, 40_000) : undefined, replications: 3 };
}

for (const e of INDEX) {
  test(`gallery: ${e.file} opens in one click and runs`, async ({ page }) => {
    const errors = await openApp(page);
    await openGallery(page);
    await page.getByTestId(`gallery-item-${slug(e.file)}`).click();
    await expect(page.getByTestId('gallery-notes')).toHaveText(notesOf(e.file));
    await page.getByTestId('gallery-open-selected').click();
    await expect(page.getByTestId('gallery')).toHaveCount(0);
    await expect(page.getByTestId('model-source')).toHaveText(e.file);
    await expect(page.getByTestId('run')).toBeEnabled();

    const s = await page.evaluate((opts) => window.__sandbox!.run(opts), shortRun(e));
    await expect(page.getByTestId('results')).toBeVisible();
    // A number is shown for every node, and its charts are drawn.
    for (const id of Object.keys(s.nodes)) await expect(page.getByTestId(`row-${id}`)).toBeVisible();
    const sink = Object.values(s.nodes).find((n) => n.kind === 'sink');
    if (sink) {
      // The sink's throughput is a number (0 where every attempt is lost, as in retry-budget).
      const x = Number(await page.getByTestId(`cell-${sink.id}-throughput`).getAttribute('data-mean'));
      expect(x).toBe(sink.throughput.mean);
      expect(x).toBeGreaterThanOrEqual(0);
    }
    await expect(page.getByTestId('time-series')).toBeVisible();

    switch (e.file) {
      case 'nic-as-os.json': {
        // Where the 4 cores' time went, and the latency the paper is about.
        expect(Number(await page.getByTestId('cpu-bar-host').getAttribute('data-total'))).toBeCloseTo(4, 6);
        await expectDrawn(page, 'chart-cdf');
        break;
      }
      case 'batching.json': {
        await expect(page.getByTestId('batcher-estimate-sender')).toBeVisible();
        expect(s.nodes.sender.extras!.flushes.mean).toBeGreaterThan(0);
        break;
      }
      case 'spork.json': {
        // fork-exec at 4 GiB: the parents spend most of their time creating processes.
        const cpu = Number(await page.getByTestId('spawner-cpu-spawner').getAttribute('data-mean'));
        expect(cpu).toBeGreaterThan(1);
        expect(s.nodes.spawner.extras!.forks.mean).toBeGreaterThan(0);
        break;
      }
      case 'metastable-retry-storm.json':
      case 'metastable-retry-storm-bound-35.json': {
        // The spike is shaded; after it, goodput stays near zero with bound 150, and recovers with 35.
        expect(await pixelsOf(page, 'chart-goodput', FAULT)).toBeGreaterThan(1000);
        const good = s.clients!.clients.series.goodput;
        const tail = good.slice(Math.round(1800 / s.series.bucket));
        const late = tail.reduce((a, b) => a + b, 0) / tail.length;
        if (e.file === 'metastable-retry-storm.json') expect(late).toBeLessThan(1);
        else expect(late).toBeGreaterThan(4);
        break;
      }
      case 'retry-storm.json':
      case 'retry-storm-backoff.json':
      case 'retry-storm-budget.json': {
        // A 5 s spike at 300 s (shaded 2 px wide, partly under the lines that jump in it):
        // immediate retries never recover; backoff and a budget do.
        await expect(page.getByTestId('time-series')).toHaveAttribute('data-faults', '1');
        expect(await pixelsOf(page, 'chart-goodput', FAULT)).toBeGreaterThan(10);
        const good = s.clients!.clients.series.goodput;
        const tail = good.slice(Math.round(900 / s.series.bucket));
        const late = tail.reduce((a, b) => a + b, 0) / tail.length;
        if (e.file === 'retry-storm.json') expect(late).toBeLessThan(1);
        else expect(late).toBeGreaterThan(15);
        break;
      }
      case 'consensus-odds.json': {
        // Each group's availability is shown, a few nines each.
        for (const id of ['good3', 'cheap9', 'good3racks', 'cheap9racks']) {
          const a = Number(await page.getByTestId(`replicas-available-${id}`).getAttribute('data-mean'));
          expect(a).toBeGreaterThan(0.99);
          expect(a).toBeLessThanOrEqual(1);
        }
        break;
      }
      default: {
        // Validation: theory beside the simulation, or (for the retry models) the clients' view.
        const theory = await page.locator('[data-testid^="theory-"]').count();
        const clients = await page.getByTestId('clients').count();
        expect(theory + clients).toBeGreaterThan(0);
        // The latency CDF, where requests completed (in retry-budget every attempt is lost).
        if (sink && sink.response.count > 0) await expectDrawn(page, 'chart-cdf', BLUE);
        else await expect(page.getByTestId('latency-charts')).toBeVisible();
      }
    }
    if (e.group === 'idea' || e.file === 'validation/mm1.json') {
      await shot(page, `gallery-run-${slug(e.file)}`);
      await shotOf(page, 'results-view', `gallery-results-${slug(e.file)}`);
    }
    expect(errors).toEqual([]);
  });
}
