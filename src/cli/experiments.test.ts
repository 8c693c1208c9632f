/** `sandbox-sim analyze triggers|hysteresis` in process: exit codes, options and the JSON shapes of docs/cli.md. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeMain } from './analyze';

const STORM = join(__dirname, '..', '..', 'static', 'models', 'retry-storm.json');
const dir = mkdtempSync(join(tmpdir(), 'experiments-'));
function file(name: string, doc: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return p;
}
const loop = (client: Record<string, unknown>, faults: unknown[] = []) => ({
  format: 'systems-sandbox/model',
  version: 1,
  name: 'Loop',
  run: { replications: 2 },
  nodes: [
    { id: 'c', kind: 'client', params: client },
    { id: 'q', kind: 'queue', params: { capacity: 20 } },
    { id: 's', kind: 'server', params: { service: { dist: 'exp', mean: '100 ms' } } },
    { id: 'k', kind: 'sink' }
  ],
  edges: [
    { id: 'e1', from: 'c.out', to: 'q.in' },
    { id: 'e2', from: 'q.out', to: 's.in' },
    { id: 'e3', from: 's.out', to: 'k.in' }
  ],
  faults
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await analyzeMain(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('sandbox-sim analyze triggers', () => {
  it('--json: the trigger from the model’s fault, one point, classes and criteria', async () => {
    const r = await run(['triggers', STORM, '--json', '--replications', '2']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({
      format: 'systems-sandbox/trigger-sweep',
      version: 1,
      model: 'Retry storm: immediate retries',
      client: 'clients',
      rate: 20,
      at: 300,
      replications: 2,
      criteria: { bucket: 5, window: 25, tolerance: 0.1, slowFactor: 1, lifetime: 3 },
      analytic: { applicable: false }
    });
    expect(j.points).toHaveLength(1);
    expect(j.points[0]).toMatchObject({ baseLoad: 1, triggerRate: 60, triggerLength: 5, class: 'metastable', agrees: null });
    expect(j.points[0].replications).toHaveLength(2);
  });

  it('a grid from the options, in text; units in the lists', async () => {
    const m = file('m.json', loop({ rate: '5/s', timeout: '5 s', retry: { maxAttempts: 3, retryOn: ['timeout'] } }));
    const r = await run(['triggers', m, '--base', '0.5,1', '--rate', '8/s', '--length', '10 s,1min', '--replications', '2', '--at', '60 s']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('trigger sweep of client "c"');
    // Header, blank line, table head, then four points.
    expect(r.out.trim().split('\n').filter((l) => /^\d/.test(l))).toHaveLength(4);
  });

  it('exit codes: no trigger to take (64), bad option values (64), closed client (3), unreadable (66), invalid after --set (2)', async () => {
    const plain = file('plain.json', loop({ rate: '5/s' }));
    expect((await run(['triggers', plain])).code).toBe(64);
    expect((await run(['triggers', STORM, '--base', '0,1'])).code).toBe(64);
    expect((await run(['triggers', STORM, '--rate', 'fast'])).code).toBe(64);
    const tol = await run(['triggers', STORM, '--tolerance', '1.5']);
    expect(tol.code).toBe(64);
    expect(tol.err).toContain('options.tolerance');
    expect((await run(['triggers', STORM, '--from', '1'])).err).toContain('--from is an option of "analyze hysteresis"');
    const closed = file('closed.json', loop({ mode: 'closed', users: 2 }));
    const c = await run(['triggers', closed, '--rate', '1/s', '--length', '1 s']);
    expect(c.code).toBe(3);
    expect(c.err).toContain('nodes[0].params.mode');
    expect((await run(['triggers', join(dir, 'missing.json')])).code).toBe(66);
    const bad = await run(['triggers', STORM, '--set', 'q.params.capacity=-1']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('nodes[1].params.capacity');
    expect((await run(['triggers', '--help'])).code).toBe(0);
  });
});

describe('--workers: threads never change the numbers', () => {
  it('triggers: 3 worker threads print exactly what one thread prints', async () => {
    const m = file('w.json', loop({ rate: '5/s', timeout: '5 s', retry: { maxAttempts: 4, retryOn: ['timeout'] } }));
    const args = ['triggers', m, '--json', '--base', '0.5,1', '--rate', '8/s,15/s', '--length', '30 s', '--at', '60 s', '--replications', '3'];
    const one = await run([...args, '--workers', '1']);
    const three = await run([...args, '--workers', '3']);
    expect(one.code).toBe(0);
    expect(three.code).toBe(0);
    const j = JSON.parse(one.out);
    expect(j.points).toHaveLength(4);
    // Not a degenerate run: every point simulated all of its replications.
    for (const p of j.points) expect(p.replications.map((r: { events: number }) => r.events > 0)).toEqual([true, true, true]);
    expect(three.out).toBe(one.out);
  });

  it('hysteresis: 2 worker threads print exactly what one thread prints; bad counts are usage errors', async () => {
    const m = file('wh.json', loop({ rate: '4/s' }));
    const args = ['hysteresis', m, '--json', '--from', '0.5', '--to', '1', '--steps', '2', '--dwell', '100 s', '--replications', '3'];
    const one = await run([...args, '--workers', '1']);
    const two = await run([...args, '--workers', '2']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.out).runs).toHaveLength(3);
    expect(two.out).toBe(one.out);
    expect((await run([...args, '--workers', '0'])).code).toBe(64);
  });
});

describe('sandbox-sim analyze hysteresis', () => {
  it('--json: levels up and down with intervals', async () => {
    const m = file('h.json', loop({ rate: '4/s' }));
    const r = await run(['hysteresis', m, '--json', '--from', '0.5', '--to', '1', '--steps', '2', '--dwell', '100 s', '--replications', '3']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ format: 'systems-sandbox/hysteresis', version: 1, client: 'c', rate: 4, spec: { from: 0.5, to: 1, steps: 2, dwell: 100 }, settle: 0.5, replications: 3 });
    expect(j.levels.map((l: { rate: number }) => l.rate)).toEqual([2, 4]);
    expect(j.levels[0].down.goodput.ci).toHaveLength(2);
    expect(j.levels[1].down).toBeNull();
    expect(j.runs).toHaveLength(3);
  });

  it('bad spec values are usage errors', async () => {
    expect((await run(['hysteresis', STORM, '--steps', '1'])).code).toBe(64);
    expect((await run(['hysteresis', STORM, '--dwell', 'long'])).code).toBe(64);
  });
});
