/**
 * Scenario 2 (PAPERS.md §2): batching can help or hurt. The gallery model (client → batching
 * sender with a per-flush cost → network → server) swept over offered load and per-flush
 * overhead, under three policies with common random numbers: flushing each request at once
 * (size, maxBatch 1), nagle, and adaptive (Little's-law estimate). Asserts both regimes and
 * that adaptive stays within 10% of the better fixed policy's mean end-to-end latency.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { load } from '../../src/lib/model/index';
import type { NormalizedModel } from '../../src/lib/model/types';
import { metric, paired, sweep, withParams, type MetricResult, type SweepPoint } from '../../src/lib/sim/sweep';

function gallery(): NormalizedModel {
  const r = load(readFileSync(join(__dirname, '../../static/models/batching.json'), 'utf8'));
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  const m = r.value.model;
  return { ...m, run: { ...m.run, until: 2, warmup: 0.2, replications: 5, confidence: 0.95 } };
}

const POLICIES = {
  'at once': { policy: 'size', maxBatch: 1 },
  nagle: { policy: 'nagle' },
  adaptive: { policy: 'adaptive' }
} as const;
type Policy = keyof typeof POLICIES;

const PER_ITEM = 1e-6;
/** Per-flush overhead and offered load as the utilisation flushing at once would need. */
const FIXED = [20e-6, 40e-6];
const RHO = [0.05, 0.4, 0.8, 0.95, 1.1];

interface Point {
  fixed: number;
  rho: number;
  lambda: number;
  policy: Policy;
}

const points: Point[] = FIXED.flatMap((fixed) =>
  RHO.flatMap((rho) =>
    (Object.keys(POLICIES) as Policy[]).map((policy) => ({ fixed, rho, lambda: rho / (fixed + PER_ITEM), policy }))
  )
);

const runSweep = () =>
  sweep(
    gallery(),
    points,
    (m, p) => {
      const sender = m.nodes.find((n) => n.id === 'sender');
      if (sender?.kind !== 'batcher') throw new Error('the scenario has a batcher "sender"');
      const flushCost = { ...sender.params.flushCost, fixed: { dist: 'det', value: p.fixed } };
      return withParams(withParams(m, 'clients', { rate: p.lambda }), 'sender', { ...POLICIES[p.policy], flushCost });
    },
    {
      e2e: metric.meanResponse('done'),
      throughput: metric.throughput('done'),
      /** Flusher time per request sent (CPU cost of sending). */
      cost: (m) => m.node('sender').busyArea / m.node('sender').departures,
      estimate: metric.extra('sender', 'estimateW')
    }
  );

let results: SweepPoint<Point>[] = [];
beforeAll(() => {
  results = runSweep();
});

const at = (fixed: number, rho: number, policy: Policy) =>
  results.find((r) => r.value.fixed === fixed && r.value.rho === rho && r.value.policy === policy)!;
const us = (x: number) => (x * 1e6).toFixed(1);
const show = (e: MetricResult, f = us) => `${f(e.mean)} ±${f((e.ci[1] - e.ci[0]) / 2)}`;

describe('scenario: batching can help or hurt', () => {
  it('reports the sweep', () => {
    const rows = FIXED.flatMap((fixed) =>
      RHO.map((rho) => {
        const [a, n, d] = (['at once', 'nagle', 'adaptive'] as Policy[]).map((p) => at(fixed, rho, p).metrics);
        return (
          `F=${us(fixed)} µs λ=${Math.round(rho / (fixed + PER_ITEM))}/s (ρ at once ${rho}): ` +
          `W µs at once ${show(a.e2e)}, nagle ${show(n.e2e)}, adaptive ${show(d.e2e)} (estimate ${us(d.estimate.mean)}); ` +
          `cost µs/request ${us(a.cost.mean)} / ${us(n.cost.mean)} / ${us(d.cost.mean)}`
        );
      })
    );
    console.log(rows.join('\n'));
    expect(rows).toHaveLength(FIXED.length * RHO.length);
  });

  it('batching raises latency at light load', () => {
    for (const fixed of FIXED) {
      for (const rho of [0.05, 0.4]) {
        const worse = paired(at(fixed, rho, 'nagle').metrics.e2e, at(fixed, rho, 'at once').metrics.e2e, (n, a) => n / a - 1, 0.95);
        expect(worse.ci[0]).toBeGreaterThan(0.02); // nagle at least 2% slower
      }
      // Very light: batches are mostly of one, so hardly any CPU is saved. Moderate: nagle
      // saves CPU, but latency is what the user sees.
      const cost = (rho: number) => at(fixed, rho, 'nagle').metrics.cost.mean / at(fixed, rho, 'at once').metrics.cost.mean;
      expect(cost(0.05)).toBeGreaterThan(0.9);
      expect(cost(0.4)).toBeLessThan(0.7);
    }
  });

  it('batching lowers both latency and cost when flushing at once saturates the flusher', () => {
    for (const fixed of FIXED) {
      for (const rho of [0.95, 1.1]) {
        const a = at(fixed, rho, 'at once').metrics;
        const n = at(fixed, rho, 'nagle').metrics;
        const better = paired(n.e2e, a.e2e, (x, y) => x / y, 0.95);
        expect(better.ci[1]).toBeLessThan(0.8);
        expect(n.cost.mean).toBeLessThan(0.5 * a.cost.mean);
      }
      // Past saturation flushing at once cannot keep up; nagle carries the whole load.
      const lambda = 1.1 / (fixed + PER_ITEM);
      expect(at(fixed, 1.1, 'at once').metrics.throughput.mean).toBeLessThan(0.95 * lambda);
      expect(Math.abs(at(fixed, 1.1, 'nagle').metrics.throughput.mean / lambda - 1)).toBeLessThan(0.02);
    }
  });

  it('adaptive stays within 10% of the better fixed policy at every point', () => {
    for (const fixed of FIXED) {
      for (const rho of RHO) {
        const a = at(fixed, rho, 'at once').metrics.e2e;
        const n = at(fixed, rho, 'nagle').metrics.e2e;
        const best = a.mean <= n.mean ? a : n;
        const ratio = paired(at(fixed, rho, 'adaptive').metrics.e2e, best, (x, y) => x / y, 0.95);
        expect(ratio.mean, `F=${fixed} ρ=${rho}`).toBeLessThan(1.1);
      }
    }
  });

  it("the batcher's Little estimate agrees with the measured end-to-end latency", () => {
    for (const r of results) {
      if (r.value.policy === 'at once' && r.value.rho > 1) continue; // unstable: no steady load
      const gap = paired(r.metrics.estimate, r.metrics.e2e, (e, w) => e / w - 1, 0.95);
      expect(Math.abs(gap.mean), `${JSON.stringify(r.value)}`).toBeLessThan(0.03);
    }
  });
});
