/**
 * Scenario 6 (PAPERS.md §6): the metastable retry storm. λ = 5/s, μ = 10/s, one server, clients
 * with a 5 s timeout and 5 retries, a ten-minute spike to 15/s from 300 s
 * (static/models/metastable-retry-storm*.json). With a queue bound of 150, goodput collapses in
 * the spike and stays near zero long after it (the retries alone keep the queue full); with a
 * bound of 35 it recovers within minutes. Asserted on every replication's time series.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from '../../src/lib/model/index';
import type { NormalizedModel } from '../../src/lib/model/types';
import { runReplication, summarize } from '../../src/lib/sim/index';

function loadStatic(file: string): NormalizedModel {
  const r = load(readFileSync(join(__dirname, '..', '..', 'static', 'models', file), 'utf8'));
  if (!r.ok) throw new Error(`${file}: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return r.value.model;
}

describe('metastable retry storm (PAPERS.md §6)', () => {
  /** Mean of a series over [from, to) seconds. */
  const avg = (xs: number[], bucket: number, from: number, to: number) => {
    const a = Math.round(from / bucket);
    const b = Math.round(to / bucket);
    return xs.slice(a, b).reduce((s, x) => s + x, 0) / (b - a);
  };

  /** Each replication summarised alone: the outcome must hold in every one, not on average. */
  const run = (file: string) => {
    const m = loadStatic(file);
    return Array.from({ length: m.run.replications }, (_, i) => summarize(m, [runReplication(m, i)]));
  };

  it('bound 150: goodput collapses in the spike and stays near zero long after it', () => {
    for (const [i, s] of run('metastable-retry-storm.json').entries()) {
      const c = s.clients!.clients.series;
      const q = s.series.nodes.q.inSystem;
      const b = c.bucket;
      const before = avg(c.goodput, b, 100, 300);
      const during = avg(c.goodput, b, 400, 900);
      const after = avg(c.goodput, b, 1200, 2700);
      console.log(
        `bound 150 (replication ${i}): goodput before ${before.toFixed(2)}/s, in the spike ${during.toFixed(3)}/s, ` +
          `300–1800 s after ${after.toFixed(3)}/s; queue after ${avg(q, b, 1200, 2700).toFixed(1)}; attempts after ${avg(c.attempts, b, 1200, 2700).toFixed(1)}/s`
      );
      expect(before).toBeGreaterThan(4);
      expect(during).toBeLessThan(0.25);
      expect(after).toBeLessThan(0.25);
      // The sustaining effect: the load is back to 5/s, yet retries keep ~3× capacity coming.
      expect(avg(c.offered, b, 1200, 2700)).toBeLessThan(6);
      expect(avg(c.attempts, b, 1200, 2700)).toBeGreaterThan(20);
      expect(avg(q, b, 1200, 2700)).toBeGreaterThan(140);
    }
  });

  it('bound 35: goodput stays positive in the spike and recovers within minutes', () => {
    for (const [i, s] of run('metastable-retry-storm-bound-35.json').entries()) {
      const c = s.clients!.clients.series;
      const b = c.bucket;
      const during = avg(c.goodput, b, 400, 900);
      // Recovered: from 3 minutes after the spike on, goodput is the offered load.
      const after = avg(c.goodput, b, 1080, 2700);
      const offered = avg(c.offered, b, 1080, 2700);
      let recoveredAt = NaN;
      for (let t = 900; t < 2700; t += b) {
        if (avg(s.series.nodes.q.inSystem, b, t, t + b) < 5) {
          recoveredAt = t;
          break;
        }
      }
      console.log(
        `bound 35 (replication ${i}): goodput in the spike ${during.toFixed(2)}/s, after ${after.toFixed(2)}/s of ${offered.toFixed(2)}/s offered; queue below 5 from ${recoveredAt} s`
      );
      expect(during).toBeGreaterThan(1);
      expect(Math.abs(after - offered) / offered).toBeLessThan(0.05);
      expect(recoveredAt - 900).toBeLessThanOrEqual(180);
    }
  });
});
