/**
 * The engine against queueing theory (VALIDATION.md). Rule for stochastic cases: R ≥ 20
 * independent replications, warm-up deleted, the analytic value inside the 99% confidence
 * interval, and the interval's relative half-width at most 3%. Seeds are fixed in the model
 * files, so the suite is deterministic.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from '../../src/lib/model/index';
import type { NormalizedModel } from '../../src/lib/model/types';
import { simulate, type ReplicationResult, type SimSummary } from '../../src/lib/sim/index';
import { meanCI } from '../../src/lib/sim/stats';
import { erlangB, giM1Sigma, mmck, mvaOneStation } from './oracle';

const CONFIDENCE = 0.99;
const MAX_REL_HALF_WIDTH = 0.03;

export function loadCase(name: string): NormalizedModel {
  const text = readFileSync(join(__dirname, 'models', `${name}.json`), 'utf8');
  const r = load(text);
  if (!r.ok) throw new Error(`${name}: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  const model = r.value.model;
  return { ...model, run: { ...model.run, confidence: CONFIDENCE } };
}

interface Est {
  mean: number;
  ci: [number, number];
}

type Getter = (s: SimSummary, reps: ReplicationResult[], model: NormalizedModel) => Est;

/** A per-replication quantity with its 99% interval. */
function perRep(reps: ReplicationResult[], f: (r: ReplicationResult) => number): Est {
  const r = meanCI(reps.map(f), CONFIDENCE);
  return { mean: r.mean, ci: [r.ci[0], r.ci[1]] };
}

const nodeIndex = (model: NormalizedModel, id: string) => model.nodes.findIndex((n) => n.id === id);

/** Fraction of requests arriving at `client` that were dropped at `node`. */
const blockedFraction =
  (node: string, client = 'clients'): Getter =>
  (_s, reps, m) =>
    perRep(reps, (r) => {
      const n = r.nodes[nodeIndex(m, node)];
      return n.drops.reduce((a, b) => a + b, 0) / r.nodes[nodeIndex(m, client)].arrivals;
    });

/** Time-average probability of exactly k present in the station (queue q + server s). */
const stationState =
  (k: number, c: number): Getter =>
  (_s, reps, m) =>
    perRep(reps, (r) => {
      const span = r.until - r.warmup;
      const srv = r.nodes[nodeIndex(m, 'srv')].occupancy;
      const q = r.nodes[nodeIndex(m, 'q')].occupancy;
      if (k < c) return srv[k] / span;
      // k = c: all servers busy and nobody waiting.
      return (srv[c] - (span - q[0])) / span;
    });

interface Check {
  what: string;
  get: Getter;
  expected: number;
  /** Relative half-width allowed (default 3%); rare events need a looser bound. */
  maxRel?: number;
}

const get = (f: (s: SimSummary) => Est): Getter => (s) => f(s);

const lognormalMean = (median: number, p99: number) => {
  const sigma = (Math.log(p99) - Math.log(median)) / 2.3263478740408408;
  return median * Math.exp((sigma * sigma) / 2);
};

const mm1Sojourn = (p: number) => -Math.log(1 - p); // Exp(1)
const CASES: Record<string, Check[]> = {
  mm1: [
    { what: 'W (station)', get: get((s) => s.nodes.srv.station!.response), expected: 1.0 },
    { what: 'W end to end', get: get((s) => s.nodes.done.response), expected: 1.0 },
    { what: 'Wq', get: get((s) => s.nodes.srv.wait), expected: 0.5 },
    { what: 'L (station)', get: get((s) => s.nodes.srv.station!.inSystem), expected: 1.0 },
    { what: 'U', get: get((s) => s.nodes.srv.utilisation), expected: 0.5 },
    { what: 'X', get: get((s) => s.nodes.done.throughput), expected: 1.0 },
    ...(['p50', 'p95', 'p99'] as const).map((p) => ({
      what: `sojourn ${p}`,
      get: get((s) => ({ mean: s.nodes.done.response[p], ci: s.nodes.done.response.percentileCi[p] })),
      expected: mm1Sojourn({ p50: 0.5, p95: 0.95, p99: 0.99 }[p])
    }))
  ],
  'mm1-ps': [{ what: 'W', get: get((s) => s.nodes.done.response), expected: 1.0 }],
  'mm1-lcfs': [{ what: 'W', get: get((s) => s.nodes.done.response), expected: 1.0 }],
  mm3: [
    { what: 'Wq', get: get((s) => s.nodes.srv.wait), expected: 4.444444 },
    { what: 'L (station)', get: get((s) => s.nodes.srv.station!.inSystem), expected: 2.888889 },
    {
      what: 'waiting p99',
      get: get((s) => ({ mean: s.nodes.srv.wait.p99, ci: s.nodes.srv.wait.percentileCi.p99 })),
      expected: 37.9424
    },
    {
      what: 'P(wait) = P(all 3 busy)',
      get: (_s, reps, m) =>
        perRep(reps, (r) => {
          const occ = r.nodes[nodeIndex(m, 'srv')].occupancy;
          return occ[3] / (r.until - r.warmup);
        }),
      expected: 0.444444
    }
  ],
  'mm3-states': [
    { what: 'p0', get: stationState(0, 3), expected: 0.432133 },
    { what: 'p1', get: stationState(1, 3), expected: 0.360111 },
    { what: 'p2', get: stationState(2, 3), expected: 0.150046 },
    { what: 'p3', get: stationState(3, 3), expected: 0.04168 }
  ],
  md1: [
    { what: 'Wq', get: get((s) => s.nodes.srv.wait), expected: 2.0 },
    { what: 'W', get: get((s) => s.nodes.done.response), expected: 3.0 }
  ],
  'md1-nic': [{ what: 'Wq on the wire', get: get((s) => s.nodes.wire.wait), expected: 2.4e-6 }],
  'mg1-uniform': [{ what: 'Wq', get: get((s) => s.nodes.srv.wait), expected: 0.666667 }],
  'mm2-3': [
    { what: 'L', get: get((s) => s.nodes.srv.station!.inSystem), expected: 0.76234 },
    { what: 'P(block)', get: blockedFraction('q'), expected: 0.04936 },
    { what: 'X', get: get((s) => s.nodes.done.throughput), expected: 2.85192 }
  ],
  'mm1-5': [
    { what: 'P(block)', get: blockedFraction('q'), expected: 1 / 6 },
    { what: 'L', get: get((s) => s.nodes.srv.station!.inSystem), expected: 2.5 }
  ],
  'erlang-b': [{ what: 'P(block)', get: blockedFraction('srv'), expected: 0.110054 }],
  'jackson-tandem': [{ what: 'W end to end', get: get((s) => s.nodes.done.response), expected: 1.5 }],
  'jackson-feedback': [{ what: 'W end to end', get: get((s) => s.nodes.done.response), expected: 1.0 }],
  'priority-np': [
    { what: 'W high', get: get((s) => s.nodes.done.byClass!.high), expected: 2.0 },
    { what: 'W low', get: get((s) => s.nodes.done.byClass!.low), expected: 6.0 }
  ],
  'gim1-erlang2': (() => {
    const mu = 1.25;
    const sigma = giM1Sigma((s) => (2 / (2 + s)) ** 2, mu);
    return [
      { what: 'W', get: get((s) => s.nodes.done.response), expected: 1 / (mu * (1 - sigma)) },
      { what: 'Wq', get: get((s) => s.nodes.srv.wait), expected: sigma / (mu * (1 - sigma)) }
    ];
  })(),
  // The interarrival distribution alone sets the rate (mean 1.25 s, not the default 1/s).
  'dm1-interarrival': (() => {
    const mu = 1;
    const sigma = giM1Sigma((s) => Math.exp(-1.25 * s), mu);
    return [
      { what: 'W', get: get((s) => s.nodes.done.response), expected: 1 / (mu * (1 - sigma)) },
      { what: 'Wq', get: get((s) => s.nodes.srv.wait), expected: sigma / (mu * (1 - sigma)) }
    ];
  })(),
  'mg1-hyperexp': (() => {
    const ES2 = 0.9 * 2 * 0.5 ** 2 + 0.1 * 2 * 5.5 ** 2;
    const Wq = (0.5 * ES2) / (2 * (1 - 0.5));
    return [{ what: 'Wq', get: get((s) => s.nodes.srv.wait), expected: Wq }];
  })(),
  'mm1-overload': (() => {
    const t = mmck(2, 1, 1, 10);
    return [
      { what: 'P(block)', get: blockedFraction('q'), expected: t.pBlock },
      { what: 'L', get: get((s) => s.nodes.srv.station!.inSystem), expected: t.L },
      { what: 'X', get: get((s) => s.nodes.done.throughput), expected: t.X }
    ];
  })(),
  'erlang-b-10': [
    { what: 'P(block)', get: blockedFraction('srv'), expected: erlangB(10, 4 * lognormalMean(1.5, 6.1)) }
  ],
  'closed-mva': (() => {
    const t = mvaOneStation(10, 5, 0.5);
    return [
      { what: 'X', get: get((s) => s.nodes.done.throughput), expected: t.X },
      { what: 'R (station)', get: get((s) => s.nodes.srv.station!.response), expected: t.R },
      { what: 'client response', get: get((s) => s.nodes.users.response), expected: t.R }
    ];
  })(),
  mminf: [
    { what: 'L', get: get((s) => s.nodes.srv.inSystem), expected: 10 },
    { what: 'W', get: get((s) => s.nodes.done.response), expected: 2 },
    { what: 'no waiting', get: get((s) => ({ mean: s.nodes.srv.wait.p999, ci: [0, 0] })), expected: 0 }
  ],
  'jsq-central-queue': [
    { what: 'Wq', get: get((s) => s.nodes.q.response), expected: 4.444444 },
    { what: 'W end to end', get: get((s) => s.nodes.done.response), expected: 14.444444 }
  ],
  'mmpp-inf': [
    { what: 'X', get: get((s) => s.nodes.done.throughput), expected: 2.6 },
    { what: 'L', get: get((s) => s.nodes.srv.inSystem), expected: 5.2 }
  ],
  'ps-hyperexp': [{ what: 'W', get: get((s) => s.nodes.done.response), expected: 2.5 }]
};

describe('validation against queueing theory (99% CI, relative half-width ≤ 3%)', () => {
  for (const [name, checks] of Object.entries(CASES)) {
    it(name, () => {
      const model = loadCase(name);
      expect(model.run.replications).toBeGreaterThanOrEqual(20);
      const { summary, replications } = simulate(model);
      for (const c of checks) {
        const e = c.get(summary, replications, model);
        const [lo, hi] = e.ci;
        const label = `${name} ${c.what}: expected ${c.expected}, got ${e.mean} [${lo}, ${hi}]`;
        if (c.expected === 0) {
          expect(e.mean, label).toBe(0);
          continue;
        }
        expect(lo, label).toBeLessThanOrEqual(c.expected);
        expect(hi, label).toBeGreaterThanOrEqual(c.expected);
        const rel = (hi - lo) / 2 / Math.abs(e.mean);
        expect(rel, `${label}: relative half-width ${rel}`).toBeLessThanOrEqual(c.maxRel ?? MAX_REL_HALF_WIDTH);
      }
    });
  }
});
