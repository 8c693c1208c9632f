/**
 * The experiments' own rules: the recovery classes on hand-made series (exact), planning and
 * its located errors, the models each point simulates, and two small simulations checked
 * against theory (a queue with no retries has one steady state per load).
 */
import { describe, expect, it } from 'vitest';
import { load } from '../model/index';
import type { ClientParams, NormalizedModel } from '../model/types';
import {
  alignedBucket,
  classifyRecovery,
  hysteresis,
  hysteresisModel,
  mergeTriggerPoint,
  planHysteresis,
  planTriggerSweep,
  requestLifetime,
  runTriggerReplication,
  triggerModel,
  triggerSweep
} from './index';

function model(clientParams: Record<string, unknown>, extra: { faults?: unknown[]; run?: Record<string, unknown>; queue?: Record<string, unknown> } = {}): NormalizedModel {
  const r = load({
    format: 'systems-sandbox/model',
    version: 1,
    name: 'loop',
    run: { until: '600 s', warmup: 0, replications: 4, bucket: '10 s', ...extra.run },
    nodes: [
      { id: 'c', kind: 'client', params: clientParams },
      { id: 'q', kind: 'queue', params: { capacity: 50, ...extra.queue } },
      { id: 's', kind: 'server', params: { service: { dist: 'exp', mean: '100 ms' } } },
      { id: 'k', kind: 'sink' }
    ],
    edges: [
      { id: 'e1', from: 'c.out', to: 'q.in' },
      { id: 'e2', from: 'q.out', to: 's.in' },
      { id: 'e3', from: 's.out', to: 'k.in' }
    ],
    faults: extra.faults ?? []
  });
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  return r.value.model;
}

describe('classifyRecovery (hand-made series, 10 s buckets, window 50 s)', () => {
  const b = 10;
  const n = 100; // 1000 s
  const offered = Array.from({ length: n }, () => 5);
  /** Goodput 5/s except 0 in [from, to) seconds. */
  const dip = (from: number, to: number) => offered.map((x, k) => (k * b >= from && k * b < to ? 0 : x));
  const c = { window: 50, tolerance: 0.1, slowAfter: 100 };
  const timing = { at: 300, end: 400 };

  it('stable: goodput back at the trigger’s end', () => {
    const r = classifyRecovery({ bucket: b, offered, goodput: dip(300, 400) }, timing, c);
    expect(r).toMatchObject({ class: 'stable', recoveryTime: 0, baseline: { offered: 5, goodput: 5 }, final: { offered: 5, goodput: 5 } });
  });

  it('recovery time: within tolerance × window of the end of the dip', () => {
    // Degraded until 460 s. The last unhealthy window starts where 460 − s > 0.1 × 50, i.e. at
    // 450 s (1 bucket of 5 degraded: 10 s > 5 s) — recovered at 460 s, 60 s after the end.
    const r = classifyRecovery({ bucket: b, offered, goodput: dip(300, 460) }, timing, c);
    expect(r.class).toBe('stable');
    expect(r.recoveryTime).toBe(60);
  });

  it('vulnerable: back, but later than slowAfter', () => {
    const r = classifyRecovery({ bucket: b, offered, goodput: dip(300, 700) }, timing, c);
    expect(r.class).toBe('vulnerable');
    expect(r.recoveryTime).toBe(300);
  });

  it('metastable: degraded in the last window', () => {
    const r = classifyRecovery({ bucket: b, offered, goodput: dip(300, 1000) }, timing, c);
    expect(r).toMatchObject({ class: 'metastable', recoveryTime: null, final: { goodput: 0 } });
    // A relapse at the end counts too: the run ends degraded.
    expect(classifyRecovery({ bucket: b, offered, goodput: dip(950, 1000) }, timing, c).class).toBe('metastable');
  });

  it('overloaded: short of the offered load before the trigger', () => {
    const r = classifyRecovery({ bucket: b, offered, goodput: offered.map((x) => 0.8 * x) }, timing, c);
    expect(r.class).toBe('overloaded');
    expect(r.baseline.goodput).toBeCloseTo(4, 12);
  });

  it('a small shortfall within the tolerance is healthy; one just past it is not', () => {
    expect(classifyRecovery({ bucket: b, offered, goodput: offered.map((x) => 0.91 * x) }, timing, c).class).toBe('stable');
    expect(classifyRecovery({ bucket: b, offered, goodput: offered.map((x, k) => (k >= 40 ? 0.89 * x : x)) }, timing, c).class).toBe('metastable');
  });
});

describe('building blocks', () => {
  const base: Pick<ClientParams, 'timeout' | 'retry'> = { timeout: 2, retry: null };
  const retry = (r: Partial<NonNullable<ClientParams['retry']>>) =>
    ({ ...base, retry: { maxAttempts: 4, backoff: { kind: 'none', base: 0.1, multiplier: 2, cap: Infinity }, jitter: 'none', retryOn: ['timeout'], budget: null, circuitBreaker: null, ...r } }) as ClientParams;

  it('requestLifetime: timeouts plus the longest backoffs', () => {
    expect(requestLifetime({ ...base, retry: null } as ClientParams)).toBe(2);
    expect(requestLifetime({ timeout: null, retry: null } as unknown as ClientParams)).toBe(Infinity);
    expect(requestLifetime(retry({}))).toBe(8);
    // exponential 1, 2, 4 capped at 3: 8 + 1 + 2 + 3.
    expect(requestLifetime(retry({ backoff: { kind: 'exponential', base: 1, multiplier: 2, cap: 3 } }))).toBe(14);
    expect(requestLifetime(retry({ backoff: { kind: 'constant', base: 1, multiplier: 2, cap: Infinity }, jitter: 'full' }))).toBe(11);
    // decorrelated: at most 3·previous: 3, 9, 27 (cap 20 → 3, 9, 20).
    expect(requestLifetime(retry({ backoff: { kind: 'exponential', base: 1, multiplier: 2, cap: 20 }, jitter: 'decorrelated' }))).toBe(8 + 3 + 9 + 20);
  });

  it('alignedBucket divides the unit and keeps ≤ 2,000 buckets', () => {
    expect(alignedBucket(300, 15, 2700)).toBe(15);
    expect(alignedBucket(300, 7, 2700)).toBeCloseTo(300 / 43, 12);
    const b = alignedBucket(10, 0.001, 100_000);
    expect(100_000 / b).toBeLessThanOrEqual(2000 + 1e-9);
  });
});

describe('planTriggerSweep', () => {
  const m = model(
    { rate: '5/s', timeout: '5 s', retry: { maxAttempts: 6, retryOn: ['timeout'] } },
    { faults: [{ at: '200 s', for: '100 s', target: 'c', action: 'rate', value: '15/s' }, { at: '50 s', for: '1 s', target: 's', action: 'pause' }] }
  );

  it('located issues for a bad grid, bad options and a closed client', () => {
    const r = planTriggerSweep(m, { baseLoad: [1, -1], triggerRate: [], triggerLength: [Number.NaN] }, { tolerance: 2, client: 'nope' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path)).toEqual(['grid.baseLoad[1]', 'grid.triggerRate', 'grid.triggerLength[0]', 'options.tolerance', 'options.client']);
    const closed = model({ mode: 'closed', users: 3 });
    const c = planTriggerSweep(closed, { baseLoad: [1], triggerRate: [1], triggerLength: [1] });
    expect(!c.ok && c.issues[0]).toMatchObject({ path: 'nodes[0].params.mode' });
  });

  it('defaults: the model’s trigger time, thresholds from the request’s life, one bucket for all points', () => {
    const r = planTriggerSweep(m, { baseLoad: [0.5, 1], triggerRate: [15], triggerLength: [10, 600] });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const p = r.value;
    expect(p.at).toBe(200);
    expect(p.client.lifetime).toBe(30);
    expect(p.window).toBe(50); // max(5 buckets, 4 × 5 s)
    expect(p.points).toHaveLength(4);
    // 10 s trigger: slowAfter = max(10, 2 × 30, 50) = 60; observe = max(180, 500).
    expect(p.points[0]).toMatchObject({ baseLoad: 0.5, rate: 2.5, triggerLength: 10, slowAfter: 60, end: 210, until: 710 });
    // 600 s trigger: slowAfter 600, observe 1800.
    expect(p.points[1]).toMatchObject({ slowAfter: 600, until: 2600 });
    expect(p.bucket).toBe(10);
    expect(p.analytic.applicable).toBe(true);
  });

  it('the point’s model: client scaled, its rate faults replaced by the trigger, others kept', () => {
    const r = planTriggerSweep(m, { baseLoad: [2], triggerRate: [12], triggerLength: [30] }, { replications: 2 });
    if (!r.ok) throw new Error('plan');
    const pm = triggerModel(r.value, r.value.points[0]);
    const c = pm.nodes[0];
    expect(c.kind === 'client' && c.params.rate).toBe(10);
    expect(pm.faults).toEqual([
      { at: 50, for: 1, target: 's', action: 'pause', value: Number.NaN },
      { at: 200, for: 30, target: 'c', action: 'rate', value: 12 }
    ]);
    expect(pm.run).toMatchObject({ warmup: 0, replications: 2, until: r.value.points[0].until });
    // The plan is left alone.
    expect(m.nodes[0].kind === 'client' && m.nodes[0].params.rate).toBe(5);
  });
});

describe('simulated points', () => {
  // M/M/1/51 at ρ = 0.5 with no timeout: nothing to sustain a failure, so every trigger is
  // recovered from; with a timeout but no retries the same holds.
  const plain = model({ rate: '5/s' }, { run: { until: '600 s' } });

  it('same arguments, same result (a pure function of plan, point and replication)', () => {
    const r = planTriggerSweep(plain, { baseLoad: [1], triggerRate: [9], triggerLength: [60] }, { replications: 2, at: 100 });
    if (!r.ok) throw new Error('plan');
    const a = runTriggerReplication(r.value, r.value.points[0], 1);
    const b = runTriggerReplication(structuredClone(r.value), r.value.points[0], 1);
    expect(b).toEqual(a);
    const merged = mergeTriggerPoint(r.value, r.value.points[0], [a, runTriggerReplication(r.value, r.value.points[0], 0)]);
    expect(merged.replications.map((x) => x.replication)).toEqual([0, 1]);
  });

  it('no retries: stable at every point; the analysis is not applicable without a timeout', () => {
    const s = triggerSweep(plain, { baseLoad: [0.5, 1], triggerRate: [20], triggerLength: [30] }, { replications: 3, at: 100 });
    if (!s.ok) throw new Error(JSON.stringify(s.issues));
    for (const p of s.value.points) {
      expect(p.class).toBe('stable');
      expect(p.agrees).toBeNull();
    }
    expect(s.value.analytic.applicable).toBe(false);
  });

  it('hysteresis without retries: goodput = offered load both ways, within the intervals', () => {
    const h = hysteresis(plain, { from: 0.4, to: 1.6, steps: 4, dwell: 400 }, { replications: 5, confidence: 0.99 });
    if (!h.ok) throw new Error(JSON.stringify(h.issues));
    const v = h.value;
    v.levels.forEach((l, k) => expect(l.rate).toBeCloseTo(2 * (k + 1), 12));
    expect(v.differsAt).toEqual([]);
    for (const l of v.levels) {
      for (const s of [l.up, l.down]) {
        if (!s) continue;
        // Every request completes (no timeout, no deadline): goodput is the arrival rate.
        expect(s.goodput.ci[0]).toBeLessThanOrEqual(l.rate);
        expect(s.goodput.ci[1]).toBeGreaterThanOrEqual(l.rate);
      }
    }
    expect(v.levels[3].down).toBeNull();
  });

  it('the ramp’s model: a schedule up and down, other rate faults dropped', () => {
    const m = model({ rate: '5/s', schedule: [{ at: '10 s', rate: '1/s' }] }, { faults: [{ at: '1 s', for: '1 s', target: 'c', action: 'rate', value: '9/s' }] });
    const p = planHysteresis(m, { from: 1, to: 2, steps: 3, dwell: 100 });
    if (!p.ok) throw new Error('plan');
    const hm = hysteresisModel(p.value);
    const c = hm.nodes[0];
    expect(c.kind === 'client' && c.params.schedule).toEqual([
      { at: 0, rate: 5 },
      { at: 100, rate: 7.5 },
      { at: 200, rate: 10 },
      { at: 300, rate: 7.5 },
      { at: 400, rate: 5 }
    ]);
    expect(hm.faults).toEqual([]);
    expect(hm.run.until).toBe(500);
    expect(100 / hm.run.bucket).toBe(20);
    const bad = planHysteresis(m, { from: 0, to: 2, steps: 1, dwell: 100 });
    expect(!bad.ok && bad.issues.map((i) => i.path)).toEqual(['spec.from', 'spec.steps']);
  });
});
