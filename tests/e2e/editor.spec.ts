/**
 * The canvas editor as a person uses it, in real Chromium (WebGL through SwiftShader) against
 * the production build: draw an M/M/1 queue from an empty canvas with the mouse, set its
 * parameters in the inspector, run it and read the sink's mean response time against theory
 * (ρ = 0.9: W = 10 s); undo and redo a move; build a model with the keyboard alone; edit while a
 * run goes. Positions come from `window.__sandbox.editor` (a canvas has no DOM to query); every
 * action is a real pointer or key event.
 */
import { expect, test, type Page } from '@playwright/test';
import { openApp, shot } from './helpers.ts';
import type { ModelDocument } from '../../src/lib/model/types.ts';
import { bigCanvasModel } from '../fixtures/bigCanvas.ts';

type Pt = { x: number; y: number };

async function editorReady(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__sandbox?.editor?.ready() === true, null, { timeout: 30_000 });
}

function doc(page: Page): Promise<ModelDocument> {
  return page.evaluate(() => window.__sandbox!.editor!.document());
}

async function nodeAt(page: Page, id: string): Promise<Pt> {
  const p = await page.evaluate((i) => window.__sandbox!.editor!.nodeScreenPosition(i), id);
  if (!p) throw new Error(`no node ${id}`);
  return p;
}

async function portAt(page: Page, id: string, port: string): Promise<Pt> {
  const p = await page.evaluate(([i, q]) => window.__sandbox!.editor!.portScreenPosition(i, q), [id, port] as const);
  if (!p) throw new Error(`no port ${id}.${port}`);
  return p;
}

/** Press, move in steps (as a hand does), release. */
async function drag(page: Page, from: Pt, to: Pt, opts: { steps?: number; before?: () => Promise<void> } = {}): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + (to.x - from.x) * 0.1, from.y + (to.y - from.y) * 0.1, { steps: 3 });
  await page.mouse.move(to.x, to.y, { steps: opts.steps ?? 8 });
  await opts.before?.();
  await page.mouse.up();
}

async function canvasBox(page: Page) {
  const box = await page.getByTestId('canvas').boundingBox();
  if (!box) throw new Error('no canvas');
  return box;
}

test('draw an M/M/1 queue from an empty canvas, run it, and find W = 10 s within the interval', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = await openApp(page);
  await editorReady(page);

  // A new, empty model.
  await page.getByRole('button', { name: 'New model' }).click();
  await expect(page.getByTestId('model-source')).toHaveText('new model');
  expect((await doc(page)).nodes).toEqual([]);
  await expect(page.getByTestId('canvas')).toContainText('Drag a node here');

  // Drag a client, a queue, a server and a sink from the palette onto the canvas.
  const box = await canvasBox(page);
  // A staircase, so that no port sits on another's in this narrow canvas.
  const spots: [string, number, number][] = [
    ['client', 0.16, 0.2],
    ['queue', 0.4, 0.4],
    ['server', 0.63, 0.6],
    ['sink', 0.85, 0.8]
  ];
  for (const [kind, fx, fy] of spots) {
    const item = await page.getByTestId(`palette-${kind}`).boundingBox();
    await drag(page, { x: item!.x + item!.width / 2, y: item!.y + item!.height / 2 }, { x: box.x + box.width * fx, y: box.y + box.height * fy }, { steps: 12 });
  }
  let d = await doc(page);
  expect(d.nodes.map((n) => `${n.kind}:${n.id}`)).toEqual(['client:client1', 'queue:queue1', 'server:server1', 'sink:sink1']);
  // Dropped where they were let go (world = screen at the new model's 100% zoom).
  const client = await nodeAt(page, 'client1');
  expect(Math.abs(client.x - (box.x + box.width * 0.16))).toBeLessThanOrEqual(12);
  expect(Math.abs(client.y - (box.y + box.height * 0.2))).toBeLessThanOrEqual(12);

  // Feedback while wiring: a queue's output cannot go into the client (it has no input).
  await drag(page, await portAt(page, 'queue1', 'out'), await nodeAt(page, 'client1'), {
    before: async () => {
      await expect(page.getByTestId('canvas-status')).toHaveText('Cannot connect: a client has no input port.');
    }
  });
  expect((await doc(page)).edges).toEqual([]);

  // Wire them port to port.
  for (const [a, b] of [
    ['client1', 'queue1'],
    ['queue1', 'server1'],
    ['server1', 'sink1']
  ]) {
    await drag(page, await portAt(page, a, 'out'), await portAt(page, b, 'in'), {
      before: async () => {
        await expect(page.getByTestId('canvas-status')).toHaveText(`Release to connect ${a}.out → ${b}.in.`);
      }
    });
  }
  d = await doc(page);
  expect(d.edges.map((e) => `${e.from}→${e.to}`)).toEqual(['client1.out→queue1.in', 'queue1.out→server1.in', 'server1.out→sink1.in']);
  await expect(page.getByTestId('edge-list').locator('li')).toHaveCount(3);

  // λ = 0.9/s on the client, in the inspector. An invalid value is refused where it was typed.
  const c = await nodeAt(page, 'client1');
  await page.mouse.click(c.x, c.y);
  await expect(page.getByTestId('inspector-id')).toHaveText('client1');
  const rate = page.getByTestId('param-rate');
  await expect(rate).toHaveAttribute('placeholder', 'default: 1/s');
  await rate.fill('fast');
  await expect(page.getByTestId('param-rate-error')).toContainText('nodes[0].params.rate: expected');
  await expect(rate).toHaveAttribute('aria-invalid', 'true');
  expect((await doc(page)).nodes[0].params).toEqual({});
  await rate.fill('0.9/s');
  await expect(page.getByTestId('param-rate-error')).toHaveCount(0);
  expect((await doc(page)).nodes[0].params).toEqual({ rate: '0.9/s' });

  // Mean service 1 s on the server: exponential, with its density, p50 = ln 2 s and p99 = ln 100 s.
  const s = await nodeAt(page, 'server1');
  await page.mouse.click(s.x, s.y);
  await expect(page.getByTestId('inspector-id')).toHaveText('server1');
  await page.getByTestId('param-service-dist').selectOption('exp');
  await page.getByTestId('param-service-mean').fill('1 s');
  expect((await doc(page)).nodes[2].params).toEqual({ service: { dist: 'exp', mean: '1 s' } });
  const plot = page.getByTestId('dist-plot');
  await expect(page.getByTestId('dist-p50')).toHaveText('693 ms');
  await expect(page.getByTestId('dist-p99')).toHaveText('4.61 s');
  expect(Number(await plot.getAttribute('data-p50'))).toBeCloseTo(Math.LN2, 9);

  // Quick but honest: 60 replications of 20,000 s. A fixed-seed 95% interval misses the truth
  // for one random stream in twenty by design; with 20 replications seed 1's did, once the
  // engine's exponential sampler changed (9.32 s, [8.84, 9.80]); 60 give [9.46, 10.11]. The
  // engine's accuracy itself is the validation suite's job (99% intervals, many models).
  const until = page.getByTestId('edit-until');
  await until.fill('20000 s');
  await page.getByTestId('edit-replications').fill('60');
  await expect(page.getByTestId('model-card')).toContainText('60 replications');
  await shot(page, 'editor-mm1-drawn');
  await page.getByTestId('model-card').screenshot({ path: 'test-results/screenshots/editor-mm1-card.png' });

  // Run, and read the sink's mean response time: its interval contains W = 1/(μ − λ) = 10 s.
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('results')).toBeVisible({ timeout: 150_000 });
  const sink = await page.evaluate(() => window.__sandbox!.lastSummary!.nodes.sink1.response);
  expect(sink.ci[0]).toBeLessThanOrEqual(10);
  expect(sink.ci[1]).toBeGreaterThanOrEqual(10);
  // Honest: the interval is narrow enough to mean something (±10%).
  expect(sink.ci[1] - sink.ci[0]).toBeLessThan(2);
  const cell = page.getByTestId('cell-sink1-response');
  expect(Number(await cell.getAttribute('data-analytic'))).toBeCloseTo(10, 6);
  // The canvas shows each node's p99 after the run.
  await expect.poll(() => page.evaluate(() => window.__sandbox!.editor!.stats()?.frames ?? 0)).toBeGreaterThan(0);
  await page.getByTestId('model-card').screenshot({ path: 'test-results/screenshots/editor-mm1-after-run.png' });
  await shot(page, 'editor-mm1-results');

  // Run again with a new seed: the seed is part of the model (an undoable edit), new numbers.
  await page.getByRole('button', { name: 'Run again, new seed' }).click();
  await expect(page.getByTestId('model-card')).toContainText('seed 2');
  await expect.poll(() => page.evaluate(() => window.__sandbox!.lastSummary?.seed), { timeout: 150_000 }).toBe(2);
  const again = await page.evaluate(() => window.__sandbox!.lastSummary!.nodes.sink1.response.mean);
  expect(again).not.toBe(sink.mean);

  // The drawn model was saved as the user's model, and loads as a file would.
  await page.evaluate(() => window.__sandbox!.flush());
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
  expect(errors).toEqual([]);
});

test('a drag is one undo step; undo and redo a move with keys and buttons', async ({ page }) => {
  const errors = await openApp(page);
  await editorReady(page);
  const before = (await doc(page)).nodes.find((n) => n.id === 'q')!;
  const zoom = await page.evaluate(() => window.__sandbox!.editor!.viewport().zoom);
  const h0 = await page.evaluate(() => window.__sandbox!.editor!.history());
  const q = await nodeAt(page, 'q');
  await drag(page, q, { x: q.x + 120, y: q.y + 60 }, { steps: 20 });
  const moved = (await doc(page)).nodes.find((n) => n.id === 'q')!;
  expect(moved.x! - before.x!).toBeCloseTo(120 / zoom, -0.5);
  expect(moved.y! - before.y!).toBeCloseTo(60 / zoom, -0.5);
  // Twenty pointer moves, one entry.
  expect((await page.evaluate(() => window.__sandbox!.editor!.history())).undo).toBe(h0.undo + 1);
  await shot(page, 'editor-moved');

  await page.getByTestId('canvas').focus();
  await page.keyboard.press('Control+z');
  expect((await doc(page)).nodes.find((n) => n.id === 'q')).toMatchObject({ x: before.x, y: before.y });
  await page.keyboard.press('Control+Shift+z');
  expect((await doc(page)).nodes.find((n) => n.id === 'q')).toMatchObject({ x: moved.x, y: moved.y });
  await page.getByRole('button', { name: 'Undo' }).click();
  expect((await doc(page)).nodes.find((n) => n.id === 'q')).toMatchObject({ x: before.x, y: before.y });
  await page.getByRole('button', { name: 'Redo' }).click();
  expect((await doc(page)).nodes.find((n) => n.id === 'q')).toMatchObject({ x: moved.x, y: moved.y });
  // The moved model is what autosave keeps.
  await page.evaluate(() => window.__sandbox!.flush());
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
  expect(errors).toEqual([]);
});

test('keyboard only: add with quick-add, wire from the outline, delete with keys', async ({ page }) => {
  const errors = await openApp(page);
  await editorReady(page);
  await page.getByRole('button', { name: 'New model' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('model-source')).toHaveText('new model');

  // A opens the quick-add search; typing filters; Enter adds, wired from the selected node.
  for (const kind of ['client', 'queue', 'server', 'sink']) {
    await page.keyboard.press('a');
    const input = page.getByTestId('quick-add-input');
    await expect(input).toBeFocused();
    await page.keyboard.type(kind);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('quick-add')).toHaveCount(0);
  }
  let d = await doc(page);
  expect(d.nodes.map((n) => n.id)).toEqual(['client1', 'queue1', 'server1', 'sink1']);
  expect(d.edges.map((e) => `${e.from}→${e.to}`)).toEqual(['client1.out→queue1.in', 'queue1.out→server1.in', 'server1.out→sink1.in']);
  // Each add-and-wire is one undo step.
  expect((await page.evaluate(() => window.__sandbox!.editor!.history())).undo).toBe(4);

  // The outline: one tab stop, arrows move and select, Delete removes the selected edge.
  const outline = page.getByTestId('outline');
  await outline.focus();
  await page.keyboard.press('End');
  await expect(page.getByTestId('outline-edge-e3')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Delete');
  d = await doc(page);
  expect(d.edges.map((e) => e.id)).toEqual(['e1', 'e2']);

  // Up to the server, C opens "connect", Enter wires server1.out → sink1.in again.
  await outline.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('outline-node-server1')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('c');
  await expect(page.getByTestId('connect-dialog')).toBeVisible();
  await expect(page.getByTestId('connect-dialog')).toContainText('server1.out → sink1.in');
  await page.keyboard.type('sink');
  await page.keyboard.press('Enter');
  d = await doc(page);
  expect(d.edges.map((e) => `${e.from}→${e.to}`)).toContain('server1.out→sink1.in');
  await expect(outline).toBeFocused();

  // Enter on a node goes to its parameters.
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('param-label')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('param-id')).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('param-rate')).toBeFocused();
  await page.keyboard.type('0.5/s');
  expect((await doc(page)).nodes[0].params).toEqual({ rate: '0.5/s' });
  await shot(page, 'editor-keyboard');

  // Every control in the editor has an accessible name.
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="editor"] button, [data-testid="editor"] input, [data-testid="editor"] select, [data-testid="editor"] textarea')]
      .filter((el) => {
        const e = el as HTMLElement;
        const labelled = e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || (e.id && document.querySelector(`label[for="${e.id}"]`)) || e.closest('label') || (e.textContent ?? '').trim();
        return !labelled;
      })
      .map((el) => el.outerHTML.slice(0, 80))
  );
  expect(unnamed).toEqual([]);
  expect(errors).toEqual([]);
});

test('editing while a run goes: moving keeps it, changing the model stops it', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = await openApp(page);
  await editorReady(page);
  // Long enough to still be running while we edit.
  await page.getByTestId('edit-until').fill('50000000 s');
  await page.getByTestId('edit-replications').fill('2');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeVisible();
  // Requests move along the wires while it runs.
  await expect.poll(() => page.evaluate(() => window.__sandbox!.editor!.stats()?.dots ?? 0), { timeout: 20_000 }).toBeGreaterThan(0);
  await page.getByTestId('model-card').screenshot({ path: 'test-results/screenshots/editor-live-run.png' });

  const q = await nodeAt(page, 'q');
  await drag(page, q, { x: q.x, y: q.y + 60 });
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeVisible();

  const srv = await nodeAt(page, 'srv');
  await page.mouse.click(srv.x, srv.y);
  await page.getByTestId('param-servers').fill('2');
  await expect(page.getByTestId('run-stopped')).toBeVisible();
  await expect(page.getByTestId('run-status')).toHaveText('Cancelled.');
  expect(errors).toEqual([]);
});

test('reports main-thread long tasks during a 10-second run with the live canvas', async ({ page }, info) => {
  test.setTimeout(120_000);
  const errors = await openApp(page);
  await editorReady(page);
  await page.getByTestId('edit-until').fill('50000000 s');
  await page.getByTestId('edit-replications').fill('4');
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: { at: number; ms: number }[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ at: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: false });
  });
  const frames0 = await page.evaluate(() => window.__sandbox!.editor!.stats()!.frames);
  const t0 = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeVisible();
  await page.waitForTimeout(10_000);
  await expect(page.getByTestId('time-remaining')).toContainText('left');
  const report = await page.evaluate((start) => {
    const tasks = (window as unknown as { __longTasks: { at: number; ms: number }[] }).__longTasks;
    const ms = tasks.map((t) => t.ms);
    return {
      count: tasks.length,
      max: ms.length ? Math.max(...ms) : 0,
      over50: ms.filter((d) => d > 50).length,
      when: tasks.map((t) => `${Math.round(t.ms)} ms at +${((t.at - start) / 1000).toFixed(1)} s`).join(', '),
      frames: window.__sandbox!.editor!.stats()!.frames
    };
  }, t0);
  await page.getByRole('button', { name: 'Cancel' }).click();
  // A report, not a timed assertion (a busy machine makes longer tasks): it lands in the test's
  // annotations and in the output.
  const line = `long tasks during 10 s of running: ${report.count} (over 50 ms: ${report.over50}), longest ${report.max.toFixed(0)} ms [${report.when}]; canvas frames drawn: ${report.frames - frames0}`;
  info.annotations.push({ type: 'long tasks', description: line });
  console.log(line);
  // The live canvas kept drawing while the workers ran.
  expect(report.frames - frames0).toBeGreaterThan(20);
  expect(errors).toEqual([]);
});

test('pause, step and resume a run: the live view holds and steps, and the numbers equal a run never paused', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = await openApp(page);
  await editorReady(page);
  await page.getByTestId('edit-until').fill('20000000 s');
  await page.getByTestId('edit-replications').fill('2');
  await page.getByRole('button', { name: 'Run' }).click();
  const live = () => page.evaluate(() => window.__sandbox!.editor!.liveBadges());
  // Live badges while it runs: the p99 so far at the sink, the server's utilisation.
  await expect.poll(async () => (await live()).done ?? '', { timeout: 30_000 }).toMatch(/p99 [\d.]+ s/);
  await expect.poll(async () => (await live()).srv ?? '').toMatch(/\d+% busy/);
  // The progress line: simulated time of each replication, events per second, time left.
  const text = page.getByTestId('progress-text');
  await expect(text).toContainText(/#1 at .+ of .+/);
  await expect(page.getByTestId('events-per-second')).toContainText('/s');
  await expect(page.getByTestId('time-remaining')).toContainText('left');

  await page.getByTestId('pause').click();
  await expect(text).toHaveAttribute('data-paused', 'true');
  await expect(page.getByTestId('paused')).toBeVisible();
  await expect(page.getByTestId('time-remaining')).toHaveCount(0);
  // The workers finish the slice they are in, send where they stopped, then hold.
  await page.waitForTimeout(500);
  const held = Number(await text.getAttribute('data-events'));
  const heldNow = Number(await text.getAttribute('data-now'));
  const frames = await page.evaluate(() => window.__sandbox!.editor!.liveFrames());
  await page.waitForTimeout(1000);
  expect(Number(await text.getAttribute('data-events'))).toBe(held);
  expect(await page.evaluate(() => window.__sandbox!.editor!.liveFrames())).toBe(frames);
  await page.getByTestId('model-card').screenshot({ path: 'test-results/screenshots/editor-paused.png' });

  // Step: 1% of the simulated time (200,000 s), shown on the canvas; still paused.
  await page.getByTestId('step').click();
  await expect.poll(async () => Number(await text.getAttribute('data-events'))).toBeGreaterThan(held);
  await expect.poll(async () => Number(await text.getAttribute('data-now'))).toBeGreaterThanOrEqual(heldNow + 200_000);
  expect(Number(await text.getAttribute('data-now'))).toBeLessThan(heldNow + 201_000);
  await expect.poll(() => page.evaluate(() => window.__sandbox!.editor!.liveFrames())).toBeGreaterThan(frames);
  await expect(text).toHaveAttribute('data-paused', 'true');
  await page.getByTestId('step').click();
  await expect.poll(async () => Number(await text.getAttribute('data-now'))).toBeGreaterThanOrEqual(heldNow + 400_000);
  await page.getByTestId('model-card').screenshot({ path: 'test-results/screenshots/editor-stepped.png' });

  await page.getByTestId('resume').click();
  await expect(page.getByTestId('pause')).toBeVisible();
  await expect(page.getByTestId('results')).toBeVisible({ timeout: 180_000 });
  const strip = (s: unknown) => {
    const { eventsPerSecond: _e, ...rest } = s as Record<string, unknown>;
    return rest;
  };
  const paused = strip(await page.evaluate(() => window.__sandbox!.lastSummary));
  // The same model and seed, never paused: the same numbers, to the bit.
  const straight = strip(await page.evaluate(() => window.__sandbox!.run()));
  expect(straight).toEqual(paused);
  expect(errors).toEqual([]);
});

test('copy and paste through the system clipboard into a fresh model; junk is refused in words', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const errors = await openApp(page);
  await editorReady(page);
  const original = await doc(page);
  const outline = page.getByTestId('outline');
  await outline.focus();
  await page.evaluate(() => window.__sandbox!.editor!.select(['q', 'srv']));
  await page.keyboard.press('Control+c');
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain('systems-sandbox/fragment');
  const fragment = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as ModelDocument;
  expect(fragment.nodes.map((n) => n.id)).toEqual(['q', 'srv']);
  expect(fragment.edges.map((e) => `${e.from}→${e.to}`)).toEqual(['q.out→srv.in']);

  // A fresh model: the nodes keep their ids, parameters and the edge between them.
  await page.getByRole('button', { name: 'New model' }).click();
  await expect(page.getByTestId('model-source')).toHaveText('new model');
  await outline.focus();
  await page.keyboard.press('Control+v');
  await expect.poll(async () => (await doc(page)).nodes.map((n) => n.id)).toEqual(['q', 'srv']);
  let d = await doc(page);
  expect(d.nodes[1].params).toEqual(original.nodes.find((n) => n.id === 'srv')!.params);
  expect(d.edges.map((e) => `${e.from}→${e.to}`)).toEqual(['q.out→srv.in']);
  // Pasting again: the ids are taken, so the copies are renamed and their edge follows.
  await page.keyboard.press('Control+v');
  await expect.poll(async () => (await doc(page)).nodes.length).toBe(4);
  d = await doc(page);
  expect(d.nodes.slice(2).map((n) => n.id)).toEqual(['queue1', 'server1']);
  expect(d.edges.map((e) => `${e.from}→${e.to}`)).toContain('queue1.out→server1.in');

  // Junk on the clipboard: a located message, nothing pasted.
  await page.evaluate(() => navigator.clipboard.writeText('{"format": "systems-sandbox/fragment", "nodes": [{"id": "x", "kind": "blender"}]}'));
  await outline.focus();
  await page.keyboard.press('Control+v');
  const refused = page.getByTestId('paste-error');
  await expect(refused).toBeVisible();
  await expect(refused).toContainText('nodes[0].kind');
  await page.evaluate(() => navigator.clipboard.writeText('just some words'));
  await outline.focus();
  await page.keyboard.press('Control+v');
  await expect(refused).toContainText('not JSON');
  expect((await doc(page)).nodes.length).toBe(4);
  await shot(page, 'editor-paste-refused');

  // The browser refuses the system clipboard: copy and paste still work within the tab.
  await page.evaluate(() => {
    const no = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
    Object.defineProperty(navigator, 'clipboard', { value: { readText: no, writeText: no }, configurable: true });
  });
  await page.evaluate(() => window.__sandbox!.editor!.select(['q']));
  await outline.focus();
  await page.keyboard.press('Control+c');
  await expect(page.getByTestId('editor')).toContainText('in this tab only');
  await page.keyboard.press('Control+v');
  await expect.poll(async () => (await doc(page)).nodes.length).toBe(5);
  expect(errors).toEqual([]);
});

test('rename a node from the inspector: edges follow, undo restores, bad ids are refused in place', async ({ page }) => {
  const errors = await openApp(page);
  await editorReady(page);
  await page.evaluate(() => window.__sandbox!.editor!.select(['srv']));
  const id = page.getByTestId('param-id');
  await expect(id).toHaveValue('srv');
  await id.fill('api');
  await id.press('Enter');
  await expect(page.getByTestId('inspector-id')).toHaveText('api');
  let d = await doc(page);
  expect(d.nodes.map((n) => n.id)).toContain('api');
  expect(d.edges.map((e) => `${e.from}→${e.to}`)).toEqual(['clients.out→q.in', 'q.out→api.in', 'api.out→done.in']);
  // The outline lists it under its new id (its label, "Server", stays).
  await expect(page.getByTestId('outline-node-api')).toBeVisible();
  await expect(page.getByTestId('outline-node-srv')).toHaveCount(0);

  // Taken and malformed ids: a message at the field, nothing changes.
  await id.fill('q');
  await id.press('Enter');
  await expect(page.getByTestId('param-id-error')).toContainText('already a node "q"');
  await id.fill('a.b');
  await id.press('Enter');
  await expect(page.getByTestId('param-id-error')).toContainText('cannot contain "."');
  await page.getByTestId('inspector').screenshot({ path: 'test-results/screenshots/editor-rename-refused.png' });
  expect((await doc(page)).nodes.map((n) => n.id)).toContain('api');
  await id.press('Escape');

  // One undo step back to srv.
  await page.getByTestId('outline').focus();
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await doc(page)).nodes.map((n) => n.id)).toContain('srv');
  d = await doc(page);
  expect(d.edges.map((e) => `${e.from}→${e.to}`)).toEqual(['clients.out→q.in', 'q.out→srv.in', 'srv.out→done.in']);
  expect(errors).toEqual([]);
});

test('the outline of a 1,000-node model is windowed yet complete to the keyboard and the pointer', async ({ page }) => {
  const errors = await openApp(page);
  await editorReady(page);
  const big = bigCanvasModel();
  const loaded = await page.evaluate((d) => window.__sandbox!.load(d), big);
  expect(loaded.ok).toBe(true);
  const outline = page.getByTestId('outline');
  const rows = outline.locator('[role="option"]');
  await expect(page.getByTestId('node-list')).toHaveAttribute('aria-label', 'Nodes (1000)');
  await expect(page.getByTestId('edge-list')).toHaveAttribute('aria-label', 'Edges (1500)');
  // A window of rows, not 2,500: each tells its place in the whole.
  const rendered = await rows.count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(120);
  await expect(rows.first()).toHaveAttribute('aria-setsize', '2500');
  await expect(rows.first()).toHaveAttribute('aria-posinset', '1');

  // End: the last edge is active, selected, rendered and scrolled into the list's view.
  await outline.focus();
  await page.keyboard.press('End');
  const last = big.edges[big.edges.length - 1];
  const lastRow = page.getByTestId(`outline-edge-${last.id}`);
  await expect(lastRow).toHaveAttribute('aria-selected', 'true');
  await expect(lastRow).toHaveAttribute('aria-posinset', '2500');
  await expect(outline).toHaveAttribute('aria-activedescendant', (await lastRow.getAttribute('id'))!);
  await expect(lastRow).toBeInViewport();
  const inList = async (row: typeof lastRow) => {
    const [r, l] = await Promise.all([row.boundingBox(), outline.boundingBox()]);
    return !!r && !!l && r.y >= l.y - 1 && r.y + r.height <= l.y + l.height + 1;
  };
  expect(await inList(lastRow)).toBe(true);
  expect(await rows.count()).toBeLessThan(120);
  // Up twice: the one before the one before.
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(page.getByTestId(`outline-edge-${big.edges[big.edges.length - 3].id}`)).toHaveAttribute('aria-selected', 'true');

  // Selected elsewhere (the canvas) far from the list's view: the list follows, its row is
  // active and scrolled into view.
  await page.keyboard.press('Home');
  await expect(page.getByTestId(`outline-node-${big.nodes[0].id}`)).toHaveAttribute('aria-selected', 'true');
  const far = big.nodes[700].id;
  await page.evaluate((id) => window.__sandbox!.editor!.select([id]), far);
  const farRow = page.getByTestId(`outline-node-${far}`);
  await expect(farRow).toHaveAttribute('aria-selected', 'true');
  await expect(outline).toHaveAttribute('aria-activedescendant', (await farRow.getAttribute('id'))!);
  await expect.poll(() => inList(farRow)).toBe(true);

  // Scrolling with the wheel brings the rows there into the DOM, where a click selects.
  await outline.focus();
  await page.keyboard.press('Home');
  await outline.hover();
  const mid = big.nodes[400].id;
  for (let i = 0; i < 60 && !(await page.getByTestId(`outline-node-${mid}`).isVisible()); i++) await page.mouse.wheel(0, 400);
  const midRow = page.getByTestId(`outline-node-${mid}`);
  await midRow.click();
  await expect(midRow).toHaveAttribute('aria-selected', 'true');
  expect((await page.evaluate(() => window.__sandbox!.editor!.selection())).nodes).toEqual([mid]);
  await outline.screenshot({ path: 'test-results/screenshots/editor-outline-windowed.png' });

  // The filter: the matching nodes and the edges that touch them; ↓ selects the first match.
  const filter = page.getByTestId('outline-filter');
  await filter.fill('Router 25');
  const matching = big.nodes.filter((n) => (n.label ?? '').toLowerCase().includes('router 25'));
  expect(matching.length).toBeGreaterThan(1);
  const ids = new Set(matching.map((n) => n.id));
  const touching = big.edges.filter((e) => ids.has(e.from.split('.')[0]) || ids.has(e.to.split('.')[0]));
  await expect(page.getByTestId('node-list')).toHaveAttribute('aria-label', `Nodes (${matching.length} of 1000)`);
  await expect(page.getByTestId('edge-list')).toHaveAttribute('aria-label', `Edges (${touching.length} of 1500)`);
  await expect(outline.locator('[data-testid^="outline-node-"]')).toHaveCount(matching.length);
  await page.locator('section.outline').screenshot({ path: 'test-results/screenshots/editor-outline-filtered.png' });
  await filter.press('ArrowDown');
  await expect(outline).toBeFocused();
  expect((await page.evaluate(() => window.__sandbox!.editor!.selection())).nodes).toEqual([matching[0].id]);
  await filter.fill('no such node');
  await expect(page.locator('section.outline')).toContainText('Nothing matches “no such node”');
  await expect(outline.locator('[role="option"]')).toHaveCount(0);
  // Escape clears it, and typing there never reaches the editor's keys (A would add a node).
  await filter.fill('a');
  await filter.press('Escape');
  await expect(filter).toHaveValue('');
  await expect(page.getByTestId('node-list')).toHaveAttribute('aria-label', 'Nodes (1000)');
  expect((await doc(page)).nodes.length).toBe(1000);
  expect(errors).toEqual([]);
});

test('dragging a node in a 1,000-node model redraws just it and its edges, exactly as a full redraw would', async ({ page }) => {
  const errors = await openApp(page);
  await editorReady(page);
  const big = bigCanvasModel();
  expect((await page.evaluate((d) => window.__sandbox!.load(d), big)).ok).toBe(true);
  await page.getByTestId('canvas').scrollIntoViewIfNeeded();
  // A node in the middle of the model, with its edges, at 100% in the canvas' middle.
  const id = 'n25_5';
  const edges = big.edges.filter((e) => e.from.startsWith(`${id}.`) || e.to.startsWith(`${id}.`));
  expect(edges.length).toBeGreaterThanOrEqual(2);
  const box = await canvasBox(page);
  await page.evaluate(() => window.__sandbox!.editor!.setViewport({ ...window.__sandbox!.editor!.viewport(), zoom: 1 }));
  const p0 = await nodeAt(page, id);
  await page.evaluate(
    ({ dx, dy }) => {
      const api = window.__sandbox!.editor!;
      const v = api.viewport();
      api.setViewport({ ...v, x: v.x + dx, y: v.y + dy });
    },
    { dx: box.x + box.width / 2 - p0.x, dy: box.y + box.height / 2 - p0.y }
  );
  const at = await nodeAt(page, id);
  const canvas = page.getByTestId('canvas');
  await drag(page, at, { x: at.x + 90, y: at.y + 70 }, { steps: 12 });
  await page.mouse.move(box.x - 20, box.y - 20);
  expect((await doc(page)).nodes.find((n) => n.id === id)).toMatchObject({ x: big.nodes.find((n) => n.id === id)!.x! + 90 });
  await page.waitForTimeout(200);
  const incremental = await canvas.screenshot();
  // A selection change re-projects every node and edge from the document.
  await page.evaluate((i) => {
    window.__sandbox!.editor!.select([]);
    window.__sandbox!.editor!.renderNow();
    window.__sandbox!.editor!.select([i]);
    window.__sandbox!.editor!.renderNow();
  }, id);
  await page.waitForTimeout(200);
  const full = await canvas.screenshot();
  await test.info().attach('after the drag', { body: incremental, contentType: 'image/png' });
  expect(incremental.equals(full)).toBe(true);
  await shot(page, 'editor-drag-big-model');
  expect(errors).toEqual([]);
});
