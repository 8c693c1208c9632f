/**
 * Scenario 2 of PAPERS.md §6: the classic retry storm (static/models/retry-storm*.json). A
 * backend whose service time grows with concurrency (50 threads, 200 ms + 15.5 ms per request
 * already in service), clients at 20/s with a 1 s timeout and 3 tries, a 5 s spike to 60/s.
 *
 * The numbers the assertions rest on, by hand: with all 50 threads busy an attempt takes
 * 0.2 + 49 × 0.0155 = 0.96 s on average, so the backend completes at most 50 / 0.96 ≈ 52/s and
 * an attempt queued behind others misses the 1 s timeout. If every attempt fails, each request
 * makes 3 of them: 60 attempts/s > 52/s, so the overload sustains itself (the stuck steady
 * state). At 20/s with no storm, ~6 requests are in service and one takes ~0.3 s: the healthy
 * steady state. A retry budget of 0.1 per request + 1/s caps attempts at about
 * 20 × 1.1 + 1 = 23/s < 52/s, so the stuck state cannot exist. Backoff spreads the retries out
 * but every failing request still makes 3 attempts: it widens the way back, not the capacity.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from '../../src/lib/model/index';
import type { NormalizedModel } from '../../src/lib/model/types';
import { runReplication, summarize } from '../../src/lib/sim/index';
import { hysteresis, triggerSweep } from '../../src/lib/experiments/index';

function loadStatic(file: string): NormalizedModel {
  const r = load(readFileSync(join(__dirname, '..', '..', 'static', 'models', file), 'utf8'));
  if (!r.ok) throw new Error(`${file}: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return r.value.model;
}

/** Mean of a series over [from, to) seconds. */
const avg = (xs: number[], bucket: number, from: number, to: number) => {
  const a = Math.round(from / bucket);
  const b = Math.round(to / bucket);
  return xs.slice(a, b).reduce((s, x) => s + x, 0) / (b - a);
};

/** Every replication summarised alone: the outcome must hold in each one, not on average. */
const runs = (m: NormalizedModel) => Array.from({ length: m.run.replications }, (_, i) => summarize(m, [runReplication(m, i)]));

/** Goodput, offered load, attempts and requests in service over the last 600 s (10 min after the 5 s spike and later). */
function lateAverages(m: NormalizedModel) {
  return runs(m).map((s) => {
    const c = s.clients!.clients.series;
    const b = c.bucket;
    const [from, to] = [m.run.until - 600, m.run.until];
    return {
      before: avg(c.goodput, b, 100, 300),
      goodput: avg(c.goodput, b, from, to),
      offered: avg(c.offered, b, from, to),
      attempts: avg(c.attempts, b, from, to),
      inService: avg(s.series.nodes.srv.inSystem, b, from, to)
    };
  });
}

const withoutFaults = (m: NormalizedModel): NormalizedModel => ({ ...m, faults: [] });
const withSpike = (m: NormalizedModel, seconds: number): NormalizedModel => ({ ...m, faults: m.faults.map((f) => ({ ...f, for: seconds })) });

describe('the classic retry storm (PAPERS.md §6, scenario 2)', () => {
  const immediate = loadStatic('retry-storm.json');
  const backoff = loadStatic('retry-storm-backoff.json');
  const budget = loadStatic('retry-storm-budget.json');

  it('the three models differ only in the retry policy', () => {
    const strip = (m: NormalizedModel) => JSON.stringify({ ...m, name: '', nodes: m.nodes.map((n) => (n.kind === 'client' ? { ...n, params: { ...n.params, retry: null } } : n)) });
    expect(strip(backoff)).toBe(strip(immediate));
    expect(strip(budget)).toBe(strip(immediate));
    expect(immediate.faults).toEqual([{ at: 300, for: 5, target: 'clients', action: 'rate', value: 60 }]);
  });

  it('immediate retries: after a 5 s spike goodput stays near zero; the same load without the spike is served', () => {
    const stuck = lateAverages(immediate);
    const calm = lateAverages(withoutFaults(immediate));
    // Metastable, not absorbing: a long enough lull in arrivals lets the backend drain, so now
    // and then a replication escapes within the 20 minutes watched. Most must stay stuck.
    const escaped = stuck.filter((s) => s.goodput >= 0.05 * s.offered).length;
    console.log(`immediate: ${stuck.length - escaped} of ${stuck.length} replications still stuck 595–1195 s after the spike`);
    expect(escaped).toBeLessThanOrEqual(Math.floor(stuck.length / 5));
    for (const [i, s] of stuck.entries()) {
      const c = calm[i];
      console.log(
        `immediate (replication ${i}): goodput before ${s.before.toFixed(2)}/s; 595–1195 s after the spike ${s.goodput.toFixed(3)}/s of ${s.offered.toFixed(2)}/s offered, ` +
          `${s.attempts.toFixed(1)} attempts/s, ${s.inService.toFixed(1)} in service; without the spike ${c.goodput.toFixed(2)}/s, ${c.attempts.toFixed(1)} attempts/s, ${c.inService.toFixed(1)} in service`
      );
      // Same offered load (±10% of 20/s), two steady states.
      expect(Math.abs(s.offered - 20)).toBeLessThan(2);
      expect(Math.abs(c.offered - 20)).toBeLessThan(2);
      expect(s.before).toBeGreaterThan(18);
      expect(Math.abs(c.goodput - c.offered) / c.offered).toBeLessThan(0.05);
      expect(c.attempts / c.offered).toBeLessThan(1.05);
      expect(c.inService).toBeLessThan(15);
      if (s.goodput >= 0.05 * s.offered) {
        // An escaped replication is back to the calm steady state, not somewhere between.
        expect(Math.abs(s.goodput - s.offered) / s.offered).toBeLessThan(0.05);
        continue;
      }
      // The sustaining effect: three attempts per request, the backend full.
      expect(s.attempts / s.offered).toBeGreaterThan(2.8);
      expect(s.inService).toBeGreaterThan(49);
    }
  });

  it('backoff with full jitter and a retry budget each recover from the same spike', () => {
    for (const [name, m] of [['backoff', backoff], ['budget', budget]] as const) {
      for (const [i, s] of lateAverages(m).entries()) {
        console.log(`${name} (replication ${i}): goodput after the spike ${s.goodput.toFixed(2)}/s of ${s.offered.toFixed(2)}/s offered, ${s.attempts.toFixed(1)} attempts/s`);
        expect(Math.abs(s.goodput - s.offered) / s.offered).toBeLessThan(0.05);
        expect(s.attempts / s.offered).toBeLessThan(1.1);
      }
    }
  });

  it('the trigger sweep: immediate metastable, both mitigations stable, recovery times within bounds', () => {
    const grid = { baseLoad: [1], triggerRate: [60], triggerLength: [5] };
    const cls = (m: NormalizedModel) => {
      const r = triggerSweep(m, grid, { replications: 5 });
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      return r.value.points[0];
    };
    const a = cls(immediate);
    const b = cls(backoff);
    const c = cls(budget);
    console.log(
      `sweep, 60/s for 5 s: immediate ${a.class} ${JSON.stringify(a.counts)}; backoff ${b.class}, recovered ${b.recoveryTime?.mean.toFixed(0)} s after; ` +
        `budget ${c.class}, recovered ${c.recoveryTime?.mean.toFixed(0)} s after; analysis: ${a.analytic.applicable ? 'applies' : 'not applicable (contention)'}`
    );
    expect(a.counts.metastable).toBe(5);
    expect(b.counts.stable).toBe(5);
    expect(c.counts.stable).toBe(5);
    // Backoff's retries of the spike come back within its longest wait (20 s + 40 s after two timeouts).
    expect(b.recoveryTime!.ci[1]).toBeLessThan(3 + 20 + 40 + 2 * 25);
    expect(c.recoveryTime!.ci[1]).toBeLessThan(3 + 2 * 25);
    // The fluid model has no contention: the cheap level says so instead of guessing.
    expect(a.analytic.applicable).toBe(false);
  });

  it('the limit of backoff: a 30 s spike sticks it too, while the budget still recovers', () => {
    const stuck = lateAverages(withSpike(backoff, 30));
    const fine = lateAverages(withSpike(budget, 30));
    for (const [i, s] of stuck.entries()) {
      console.log(`30 s spike (replication ${i}): backoff goodput ${s.goodput.toFixed(3)}/s, budget ${fine[i].goodput.toFixed(2)}/s`);
      expect(s.goodput).toBeLessThan(0.05 * s.offered);
      expect(Math.abs(fine[i].goodput - fine[i].offered) / fine[i].offered).toBeLessThan(0.05);
    }
  });

  it('hysteresis: up and down the same loads, immediate retries are stuck on the way down; the budget is not', () => {
    const spec = { from: 0.5, to: 2.5, steps: 5, dwell: 200 };
    const h = hysteresis(immediate, spec, { replications: 5 });
    const g = hysteresis(budget, spec, { replications: 5 });
    if (!h.ok || !g.ok) throw new Error('hysteresis');
    for (const [name, r] of [['immediate', h.value], ['budget', g.value]] as const) {
      console.log(
        `${name}: ` + r.levels.map((l) => `${l.rate}/s up ${l.up.goodput.mean.toFixed(1)} down ${l.down ? l.down.goodput.mean.toFixed(1) : '—'}${l.differs ? ' (differs)' : ''}`).join('; ')
      );
    }
    // At 20/s and 30/s (3 × load > 52/s capacity when stuck, yet served when healthy): a loop.
    expect(h.value.differsAt).toEqual(expect.arrayContaining([1, 1.5]));
    for (const f of [1, 1.5]) {
      const l = h.value.levels.find((x) => x.factor === f)!;
      expect(Math.abs(l.up.goodput.mean - l.rate) / l.rate).toBeLessThan(0.05);
      expect(l.down!.goodput.mean).toBeLessThan(0.05 * l.rate);
    }
    // At 10/s even 3 attempts per request (30/s) fit: no second state, both ways agree.
    expect(h.value.differsAt).not.toContain(0.5);
    // The budget has one steady state per load below capacity: no level differs.
    expect(g.value.differsAt).toEqual([]);
  });
});
