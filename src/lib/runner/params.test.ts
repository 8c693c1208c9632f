/**
 * Sweepable parameters: every numeric parameter of every shipped model can be set through the
 * document and loads again to the same value, and a sweep plan refuses bad values with a
 * located message before anything runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from '../model/index.ts';
import type { ModelDocument, NormalizedModel } from '../model/types.ts';
import { LOAD_KEY, numericParams, setParam, type NumericParam } from './params.ts';
import { scaleLoadDoc } from '../model/scaleLoad.ts';
import { distMean } from '../sim/distributions.ts';
import { checkRange, planSweep, sweepValues } from './sweepPlan.ts';

const ROOT = join(import.meta.dirname, '../../..');

function models(): { name: string; doc: ModelDocument; model: NormalizedModel }[] {
  const out = [];
  for (const dir of ['static/models', 'tests/validation/models']) {
    for (const f of readdirSync(join(ROOT, dir)).sort()) {
      if (!f.endsWith('.json') || f === 'index.json') continue;
      const r = load(JSON.parse(readFileSync(join(ROOT, dir, f), 'utf8')));
      if (!r.ok) throw new Error(`${dir}/${f}: ${JSON.stringify(r.issues)}`);
      out.push({ name: `${dir}/${f}`, doc: r.value.doc, model: r.value.model });
    }
  }
  return out;
}

function valueAt(model: NormalizedModel, p: NumericParam): unknown {
  let x: unknown = model.nodes.find((n) => n.id === p.node)?.params;
  for (const k of p.path) x = (x as Record<string | number, unknown>)[k];
  return x;
}

describe('numericParams and setParam', () => {
  it.each(models().map((m) => [m.name, m] as const))('%s: every parameter round-trips through the document', (_name, m) => {
    const params = numericParams(m.model, m.doc);
    expect(params.length).toBeGreaterThan(0);
    expect(new Set(params.map((p) => p.key)).size).toBe(params.length);
    for (const p of params) {
      if (p.key === LOAD_KEY) continue; // not a node's parameter: below
      const r = load(setParam(m.doc, m.model, p.node, p.path, p.value));
      if (!r.ok) throw new Error(`${p.key}: ${JSON.stringify(r.issues)}`);
      expect(valueAt(r.value.model, p)).toBe(p.value);
    }
  });

  it('reads units from the document and names, and offers only what the mode uses', () => {
    const m = models().find((x) => x.name === 'static/models/spork.json')!;
    const params = numericParams(m.model, m.doc);
    const byKey = new Map(params.map((p) => [p.key, p]));
    expect(byKey.get('clients:rate')?.unit).toBe('rate');
    expect(byKey.get('spawner:parentMemory')?.unit).toBe('size');
    expect(byKey.get('spawner:parents')).toMatchObject({ unit: 'count', integer: true });
    expect(byKey.get('spawner:service.mean')?.unit).toBe('time');
    // An open client has no think time or user count to sweep.
    expect(byKey.has('clients:users')).toBe(false);
    expect(byKey.has('clients:thinkTime.mean')).toBe(false);
  });

  it('sets a value the document leaves to its default, keeping the rest of the object', () => {
    const m = models().find((x) => x.name === 'static/models/spork.json')!;
    const doc = setParam(m.doc, m.model, 'spawner', ['forkCost', 'perMiB'], 0.00002);
    const r = load(doc);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const p = r.value.model.nodes.find((n) => n.id === 'spawner')!.params as { forkCost: { perMiB: number; fixed: unknown } };
    expect(p.forkCost.perMiB).toBe(0.00002);
    expect(p.forkCost.fixed).toEqual({ dist: 'det', value: 0.0017 });
    // The original document is untouched.
    expect(JSON.stringify(m.doc)).not.toContain('0.00002');
  });
});

describe('sweep plans', () => {
  const mm1 = () => models().find((x) => x.name === 'static/models/mm1.json')!;
  const param = (m: ReturnType<typeof mm1>, key: string) => numericParams(m.model, m.doc).find((p) => p.key === key)!;

  it('spaces values linearly or geometrically, rounds whole numbers and keeps both ends', () => {
    expect(sweepValues(0.5, 1.5, 5)).toEqual([0.5, 0.75, 1, 1.25, 1.5]);
    const log = sweepValues(1, 1000, 4, 'log');
    expect(log[0]).toBe(1);
    expect(log[3]).toBe(1000);
    expect(log[1]).toBeCloseTo(10, 10);
    expect(sweepValues(1, 3, 5, 'linear', true)).toEqual([1, 2, 3]);
    expect(sweepValues(2, 2, 1)).toEqual([2]);
    expect(checkRange(0, 1, 3, 'log')).toMatch(/> 0/);
    expect(checkRange(1, 2, 0, 'linear')).toMatch(/steps/);
    expect(checkRange(1, 2, 3, 'linear')).toBeNull();
  });

  it('builds one model per point, the first axis fastest, with a shorter run when asked', () => {
    const m = mm1();
    const rate = param(m, 'clients:rate');
    const mean = param(m, 'srv:service.mean');
    const r = planSweep(m.doc, m.model, [{ param: rate, values: [0.5, 1] }, { param: mean, values: [0.2, 0.4] }], {
      replications: 3,
      until: 500,
      target: { node: 'done', metric: 'response' }
    });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.points.map((p) => p.values)).toEqual([[0.5, 0.2], [1, 0.2], [0.5, 0.4], [1, 0.4]]);
    const p = r.value.points[3].model;
    expect((p.nodes[0].params as { rate: number }).rate).toBe(1);
    expect((p.nodes[2].params as { service: { mean: number } }).service.mean).toBe(0.4);
    expect(p.run.until).toBe(500);
    // Common random numbers: the seed stays the model's.
    expect(r.value.points.every((q) => q.model.run.seed === m.model.run.seed)).toBe(true);
  });

  it('refuses a value the model refuses, naming the point and the field', () => {
    const m = mm1();
    const servers = param(m, 'srv:servers');
    const r = planSweep(m.doc, m.model, [{ param: servers, values: [1, 2.5] }], { replications: 2, target: { node: 'done', metric: 'response' } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0].path).toBe('nodes[2].params.servers');
    expect(r.issues[0].message).toContain('servers = 2.5');
  });
});

describe('the total-load axis', () => {
  /** Arrivals per second an open client offers on average, from its normalised params. */
  const offered = (p: { rate: number; interarrival: Parameters<typeof distMean>[0] | null; mmpp: { burstRate: number } | null; schedule: { rate: number }[] }) => [
    p.interarrival ? 1 / distMean(p.interarrival) : p.rate,
    p.mmpp?.burstRate ?? 0,
    ...p.schedule.map((x) => x.rate)
  ];

  it.each(models().map((m) => [m.name, m] as const))('%s: × 1 changes nothing, × 2.5 multiplies every open client’s arrivals', (_name, m) => {
    const open = m.model.nodes.filter((n) => n.kind === 'client' && n.params.mode === 'open');
    expect(numericParams(m.model, m.doc).some((p) => p.key === LOAD_KEY)).toBe(open.length > 0);
    if (open.length === 0) return;
    const same = load(scaleLoadDoc(m.doc, m.model, 1));
    if (!same.ok) throw new Error(JSON.stringify(same.issues));
    expect(same.value.model.nodes).toEqual(m.model.nodes);
    const r = load(scaleLoadDoc(m.doc, m.model, 2.5));
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    for (const n of m.model.nodes) {
      const after = r.value.model.nodes.find((x) => x.id === n.id)!;
      if (n.kind !== 'client' || after.kind !== 'client') {
        expect(after).toEqual(n);
        continue;
      }
      if (n.params.mode !== 'open') {
        expect(after).toEqual(n);
        continue;
      }
      const before = offered(n.params);
      offered(after.params).forEach((x, i) => expect(x).toBeCloseTo(before[i] * 2.5, 9));
    }
  });

  it('plans a sweep over it: each point is the model at that load', () => {
    const m = models().find((x) => x.name === 'static/models/nic-as-os.json')!;
    const load1 = numericParams(m.model, m.doc).find((p) => p.key === LOAD_KEY)!;
    const plan = planSweep(m.doc, m.model, [{ param: load1, values: [0.5, 1, 2] }], { replications: 2, target: { node: m.model.nodes[0].id, metric: 'mean' } as never });
    if (!plan.ok) throw new Error(JSON.stringify(plan.issues));
    const rateOf = (mm: NormalizedModel) => mm.nodes.filter((n) => n.kind === 'client').reduce((a, n) => a + (n.kind === 'client' ? n.params.rate : 0), 0);
    const base = rateOf(m.model);
    expect(plan.value.points.map((p) => rateOf(p.model) / base)).toEqual([0.5, 1, 2].map((x) => expect.closeTo(x, 9)));
  });
});
