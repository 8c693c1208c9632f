/**
 * The shell panel (issue #7): a script pasted into the page is analysed in the shell worker (real
 * sh-syntax and tree-sitter-bash WebAssembly in Chromium) and never run; findings are
 * highlighted at their line and column with explanations on hover and focus; the effects table
 * lists what each command deletes; the just-in-time environment changes the deferred findings;
 * syntax errors show their line and column; a gallery script's pipeline opens as a model that
 * runs. Expected positions are read off the scripts here (hand-computed), not copied from the
 * analysis. Also: the parsers' wasm files are precached and the panel works offline.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openApp, SHOTS } from './helpers.ts';

const CLEANUP = readFileSync('static/scripts/cleanup.sh', 'utf8');
const TOP_CLIENTS = readFileSync('static/scripts/top-clients.sh', 'utf8');

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function position(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" is not in the script`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/**
 * A screenshot of one card (default: the shell panel's), clipped from the full page so nothing is
 * scrolled (a hover stays where it is).
 */
async function shot(page: Page, name: string, testid = 'shell-card'): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const box = await page.getByTestId(testid).boundingBox();
  const scroll = await page.evaluate(() => ({ x: window.scrollX, y: window.scrollY }));
  if (!box) throw new Error(`${testid} is not on the page`);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true, clip: { x: box.x + scroll.x, y: box.y + scroll.y, width: box.width, height: box.height } });
}

async function paste(page: Page, text: string): Promise<void> {
  await page.getByTestId('shell-input').fill(text);
  await expect(page.getByTestId('shell-panel')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
}

/** The finding list entry of a rule at a line. */
const finding = (page: Page, rule: string, line: number) => page.locator(`[data-testid="shell-finding"][data-rule="${rule}"][data-line="${line}"]`);

test('the destructive script: the rm finding highlighted at its line, its effects, and the environment resolving it', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = await openApp(page);
  await page.getByTestId('shell-card').scrollIntoViewIfNeeded();
  await paste(page, CLEANUP);

  // rm -rf "$BUILD_DIR/"*: SC2115 on the word, deferred (BUILD_DIR comes from the environment).
  const rm = position(CLEANUP, '"$BUILD_DIR/"*');
  const f = finding(page, 'rm-empty-expansion', rm.line);
  await expect(f).toHaveCount(1);
  await expect(f).toHaveAttribute('data-severity', 'warning');
  await expect(f).toHaveAttribute('data-deferred', 'true');
  await expect(f).toContainText(`line ${rm.line}, column ${rm.column}`);
  await expect(f).toContainText('SC2115');

  // The highlight covers exactly that word, on that line, and names its rule.
  const mark = page.locator(`[data-testid="shell-mark"][data-line="${rm.line}"][data-rules~="rm-empty-expansion"]`);
  await expect(mark).toHaveText('"$BUILD_DIR/"*');
  await expect(mark).toHaveAttribute('data-severity', 'warning');
  // The other hazards of the script are there too, each on its own line.
  await expect(finding(page, 'cd-unchecked', position(CLEANUP, 'cd $WORKSPACE').line)).toHaveCount(1);
  await expect(finding(page, 'ls-loop', position(CLEANUP, 'for f in $(ls').line)).toHaveCount(1);
  await expect(finding(page, 'read-write-same-file', position(CLEANUP, 'sort -u seen-hosts').line)).toHaveAttribute('data-severity', 'error');

  // Hover: the explanation, as a tooltip.
  await mark.hover();
  const tip = page.getByTestId('shell-tip');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText('rm-empty-expansion');
  await expect(tip).toContainText('rm -rf /*');
  await shot(page, 'shell-destructive');

  // Keyboard: the finding's link takes the focus to the highlight, which shows the same tooltip.
  await page.mouse.move(0, 0);
  await f.getByRole('button', { name: `line ${rm.line}, column ${rm.column}` }).click();
  await expect(mark).toBeFocused();
  await expect(tip).toContainText('rm-empty-expansion');
  await expect(mark).toHaveAttribute('aria-describedby', 'shell-tip');

  // The effects table: rm deletes the symbolic $BUILD_DIR/*.
  const effect = page.locator(`[data-testid="shell-effect"][data-line="${rm.line}"]`);
  await expect(effect).toContainText('rm -rf "$BUILD_DIR/"*');
  const deleted = effect.locator('td[data-col="deletes"] [data-testid="shell-path"]');
  await expect(deleted).toHaveText('$BUILD_DIR/*');
  await expect(deleted).toHaveAttribute('data-symbolic', 'true');
  await page.getByTestId('shell-effects').scrollIntoViewIfNeeded();
  await shot(page, 'shell-effects');

  // Just in time: BUILD_DIR set to a directory → the deferred warning disappears.
  await page.getByTestId('shell-add-var').click();
  await page.getByTestId('shell-var-name').fill('BUILD_DIR');
  await page.getByTestId('shell-var-value').fill('/home/ci/build');
  const change = page.locator(`[data-testid="shell-jit-change"][data-rule="rm-empty-expansion"][data-line="${rm.line}"]`);
  await expect(change).toHaveAttribute('data-outcome', 'gone', { timeout: 30_000 });
  await expect(f).toHaveCount(0);
  // The variable is resolved; the glob stays symbolic until the files are known…
  await expect(deleted).toHaveText('/home/ci/build/*');
  await expect(deleted).toHaveAttribute('data-symbolic', 'true');
  // …and with the files that exist, rm's targets are concrete paths.
  await page.getByTestId('shell-files').fill('/home/ci/build/app.o\n/home/ci/build/lib/\n/home/ci/ws/\n');
  await expect(deleted).toHaveText(['/home/ci/build/app.o', '/home/ci/build/lib'], { timeout: 30_000 });
  for (const d of await deleted.all()) await expect(d).toHaveAttribute('data-symbolic', 'false');
  await expect(change).toHaveAttribute('data-outcome', 'gone');
  await page.getByTestId('shell-env').scrollIntoViewIfNeeded();
  await shot(page, 'shell-jit-gone');
  await page.getByTestId('shell-files').fill('');

  // BUILD_DIR empty → the same finding becomes a definite error: this runs rm -rf /*.
  await page.getByTestId('shell-var-value').fill('');
  await expect(change).toHaveAttribute('data-outcome', 'error', { timeout: 30_000 });
  await expect(change).toContainText('rm -rf /*');
  await expect(f).toHaveAttribute('data-severity', 'error');
  await expect(f).toHaveAttribute('data-deferred', 'false');
  await expect(page.locator(`[data-testid="shell-mark"][data-line="${rm.line}"][data-rules~="rm-empty-expansion"]`)).toHaveAttribute('data-severity', 'error');
  await shot(page, 'shell-jit-error');
  expect(errors).toEqual([]);
});

test('a syntax error shows its line and column; an oversized file is refused with a message', async ({ page }) => {
  const errors = await openApp(page);
  const script = 'echo start\nif [ -f x ]; then\n  echo "a" )\nfi\n';
  await paste(page, script);
  const at = position(script, ')'); // mvdan/sh stops at the stray )
  await expect(page.getByTestId('shell-syntax-error')).toBeVisible();
  await expect(page.getByTestId('shell-syntax-line')).toHaveText(String(at.line));
  await expect(page.getByTestId('shell-syntax-column')).toHaveText(String(at.column));
  const f = finding(page, 'syntax', at.line);
  await expect(f).toHaveAttribute('data-severity', 'error');
  await expect(f).toContainText(`line ${at.line}, column ${at.column}`);
  await expect(page.locator(`[data-testid="shell-mark"][data-line="${at.line}"]`)).toHaveText(')');
  await page.getByTestId('shell-card').scrollIntoViewIfNeeded();
  await shot(page, 'shell-syntax-error');

  // A file over 256 KiB: refused, said why, nothing analysed.
  const big = '# ' + 'x'.repeat(300 * 1024) + '\n';
  await page.getByTestId('shell-file-input').setInputFiles({ name: 'huge.sh', mimeType: 'text/x-shellscript', buffer: Buffer.from(big) });
  await expect(page.getByTestId('shell-load-error')).toContainText('huge.sh is 301 KiB');
  await expect(page.getByTestId('shell-load-error')).toContainText('256 KiB');
  // A file that fits opens and is analysed.
  await page.getByTestId('shell-file-input').setInputFiles({ name: 'ok.sh', mimeType: 'text/x-shellscript', buffer: Buffer.from('rm -rf "$D/"*\n') });
  await expect(page.getByTestId('shell-status')).toContainText('ok.sh', { timeout: 30_000 });
  await expect(finding(page, 'rm-empty-expansion', 1)).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('the log pipeline from the gallery opens as a model in the editor and runs', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = await openApp(page);
  await page.getByTestId('gallery-button').click();
  await page.getByTestId('gallery-item-script-top-clients').click();
  await expect(page.getByTestId('gallery-notes')).toContainText('Open pipeline as model');
  mkdirSync(SHOTS, { recursive: true });
  await page.getByTestId('gallery').screenshot({ path: `${SHOTS}/shell-gallery.png` });
  await page.getByTestId('gallery-open-script-top-clients').click();
  await expect(page.getByTestId('gallery')).toBeHidden();
  await expect(page.getByTestId('shell-panel')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(page.getByTestId('shell-input')).toHaveValue(TOP_CLIENTS);

  // One pipeline, its stages as written, the shapes between them.
  const line = TOP_CLIENTS.split('\n').find((l) => l.includes(' | '))!;
  const commands = line.split(' | ').map((s) => s.trim().split(/\s+/)[0]);
  const pipeline = page.getByTestId('shell-pipeline');
  await expect(pipeline).toHaveCount(1);
  await expect(pipeline.getByTestId('shell-stage')).toHaveCount(commands.length);
  for (const [i, c] of commands.entries()) await expect(pipeline.getByTestId('shell-stage').nth(i)).toContainText(c);
  await expect(pipeline.getByTestId('shell-shape')).toHaveCount(commands.length - 1);
  await pipeline.scrollIntoViewIfNeeded();
  await shot(page, 'shell-pipeline');

  await page.getByTestId('shell-mechanism').selectOption('posix_spawn');
  await pipeline.getByTestId('shell-open-model').click();
  // The editor shows the pipeline: a spawner per stage (the outline lists every node).
  const outline = page.getByTestId('node-list');
  await expect(outline).toBeVisible();
  const doc = (await page.evaluate(() => window.__sandbox!.editor!.document())) as { nodes: { id: string; kind: string; params?: Record<string, unknown> }[] };
  const spawners = doc.nodes.filter((n) => n.kind === 'spawner');
  expect(spawners.length).toBe(commands.length);
  for (const s of spawners) expect(s.params?.mechanism).toBe('posix_spawn');
  await expect(outline.locator('[data-testid^="outline-node-"]')).toHaveCount(doc.nodes.length);
  for (const s of spawners) await expect(page.getByTestId(`outline-node-${s.id}`)).toBeVisible();
  await shot(page, 'shell-pipeline-model', 'model-card');

  // Run it: results appear.
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toBeVisible({ timeout: 150_000 });
  const summary = await page.evaluate(() => window.__sandbox!.lastSummary);
  expect(summary).not.toBeNull();
  // The results name the bottleneck: the stage process with the highest utilisation in the
  // summary (a sort, the catalogue's slowest), saturated.
  const stageServers = doc.nodes.filter((n) => n.kind === 'server').map((n) => n.id);
  const busiest = stageServers.reduce((a, b) => (summary!.nodes[b].utilisation.mean > summary!.nodes[a].utilisation.mean ? b : a));
  const verdict = page.getByTestId('bottleneck');
  await expect(verdict).toHaveAttribute('data-node', busiest);
  await expect(verdict).toHaveAttribute('data-saturated', 'true');
  await expect(verdict).toContainText('sort');
  await shot(page, 'shell-pipeline-results', 'results-card');
  expect(errors).toEqual([]);
});

test('the stage catalogue: a slower grep moves the predicted bottleneck, a bad rate blocks, the model runs with the edit', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = await openApp(page);
  await page.getByTestId('gallery-button').click();
  await page.getByTestId('gallery-open-script-top-clients').click();
  await expect(page.getByTestId('shell-panel')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  const pipeline = page.getByTestId('shell-pipeline');
  await pipeline.scrollIntoViewIfNeeded();

  // The stages' commands in order, read off the script: grep is stage 2, the first sort stage 4.
  const line = TOP_CLIENTS.split('\n').find((l) => l.includes(' | '))!;
  const commands = line.split(' | ').map((s) => s.trim().split(/\s+/)[0]);
  const grepStage = commands.indexOf('grep') + 1;
  const sortStage = commands.indexOf('sort') + 1;

  // Defaults: sort (40 MB/s) is the slowest entry the pipeline uses, so it is the predicted bottleneck.
  const predicted = page.getByTestId('shell-predicted-bottleneck');
  await expect(predicted).toHaveAttribute('data-command', 'sort');
  await expect(predicted).toHaveAttribute('data-stage', String(sortStage));
  // One row per command the pipeline uses (sort once), then other commands; each with its why.
  const keys = await pipeline.getByTestId('shell-catalogue-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
  expect(keys).toEqual([...new Set(commands), '*']);
  const grep = pipeline.locator('[data-testid="shell-rate"][data-key="grep"]');
  await expect(grep).toHaveValue('1 GB/s');
  await expect(page.getByRole('textbox', { name: 'grep' })).toHaveAttribute('aria-describedby', /why/);
  await expect(pipeline.locator('[data-testid="shell-catalogue-row"][data-key="sort"]')).toContainText('barrier');

  // A bad rate: a message in place, the open button disabled, the prediction unchanged.
  await grep.fill('10 Mb/s');
  const error = pipeline.getByTestId('shell-rate-error');
  await expect(error).toHaveCount(1);
  await expect(error).toContainText('bits');
  await expect(grep).toHaveAttribute('aria-invalid', 'true');
  await expect(pipeline.getByTestId('shell-open-model')).toBeDisabled();
  await expect(pipeline.getByTestId('shell-catalogue-blocked')).toBeVisible();
  await expect(predicted).toHaveAttribute('data-command', 'sort');
  await shot(page, 'shell-catalogue-invalid', 'shell-pipeline');
  // Markup typed into a rate stays text.
  await grep.fill('<b>fast</b>');
  await expect(error).toContainText('<b>fast</b>');
  await expect(pipeline.locator('.catalogue b')).toHaveCount(0);

  // grep at 10 MB/s, slower than sort's 40: the bottleneck moves to grep.
  await grep.fill('10 MB/s');
  await expect(error).toHaveCount(0);
  await expect(pipeline.getByTestId('shell-open-model')).toBeEnabled();
  await expect(predicted).toHaveAttribute('data-command', 'grep');
  await expect(predicted).toHaveAttribute('data-stage', String(grepStage));
  await expect(pipeline.getByTestId('shell-stage').nth(grepStage - 1)).toHaveAttribute('data-bottleneck', 'true');
  await expect(pipeline.locator('[data-testid="shell-catalogue-row"][data-key="grep"]')).toHaveAttribute('data-edited', 'true');
  const server = await predicted.getAttribute('data-server');
  expect(server).toBeTruthy();
  await shot(page, 'shell-catalogue', 'shell-pipeline');

  // Kept in this browser: after a reload the gallery script shows the edited rate and the same prediction.
  await page.reload();
  await expect(page.getByTestId('save-status')).toBeVisible();
  await page.getByTestId('gallery-button').click();
  await page.getByTestId('gallery-open-script-top-clients').click();
  await expect(page.getByTestId('shell-panel')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(grep).toHaveValue('10 MB/s');
  await expect(predicted).toHaveAttribute('data-command', 'grep');

  // Open as model: grep's server takes 4 KiB / 10 MB/s per chunk; run it, and the results'
  // bottleneck is the grep stage's server.
  await pipeline.getByTestId('shell-open-model').click();
  await expect(page.getByTestId('node-list')).toBeVisible();
  const doc = (await page.evaluate(() => window.__sandbox!.editor!.document())) as { nodes: { id: string; kind: string; label?: string; params?: Record<string, unknown> }[] };
  const grepServer = doc.nodes.find((n) => n.id === server)!;
  expect(grepServer.label).toContain('grep');
  expect(parseFloat(String(grepServer.params?.service))).toBeCloseTo(4096 / 10e6, 10);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toBeVisible({ timeout: 150_000 });
  const verdict = page.getByTestId('bottleneck');
  await expect(verdict).toHaveAttribute('data-node', server!);
  await expect(verdict).toContainText('grep');

  // Reset to defaults: sort again, and nothing stored.
  await page.getByTestId('shell-card').scrollIntoViewIfNeeded();
  await pipeline.getByTestId('shell-catalogue-reset').click();
  await expect(grep).toHaveValue('1 GB/s');
  await expect(predicted).toHaveAttribute('data-command', 'sort');
  expect(await page.evaluate(() => localStorage.getItem('systems-sandbox.shell-catalogue'))).toBeNull();
  expect(errors).toEqual([]);
});

test('the parsers are precached and the panel works offline', async ({ page, context }) => {
  test.setTimeout(120_000);
  await openApp(page);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
  const cached = await page.evaluate(async () => {
    const out: string[] = [];
    for (const key of await caches.keys()) for (const req of await (await caches.open(key)).keys()) out.push(new URL(req.url).pathname);
    return out;
  });
  for (const name of ['main', 'tree-sitter', 'tree-sitter-bash']) {
    expect(cached.some((p) => new RegExp(`/_app/immutable/assets/${name}\\.[\\w-]+\\.wasm$`).test(p)), `${name}.wasm precached`).toBe(true);
  }
  expect(cached.some((p) => /\/_app\/immutable\/workers\/shell\.worker-[\w-]+\.js$/.test(p))).toBe(true);
  expect(cached).toContain('/scripts/cleanup.sh');
  expect(cached).toContain('/scripts/index.json');

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('save-status')).toBeVisible();
  await paste(page, CLEANUP);
  await expect(finding(page, 'rm-empty-expansion', position(CLEANUP, '"$BUILD_DIR/"*').line)).toHaveCount(1);
  await context.setOffline(false);
});
