/**
 * The CTMC and its solvers against independent answers: a dense Gaussian-elimination solve on a
 * tiny chain, closed forms for birth–death hitting times and for M/M/1/K and M/M/2/K, and the
 * chain's mean drift against PAPERS.md §6's formula.
 */
import { describe, expect, it } from 'vitest';
import { solveLinear } from '../numeric';
import { mmck } from '../mmck';
import { buildCtmc, stateIndex } from './ctmc';
import { drift, fluidModel } from './drift';
import { hittingTimes, stationaryByElimination } from './hitting';
import { mixingTime } from './mixing';
import type { MetastabilityParams } from './params';
import { fromDense, GeneratorBuilder, stationaryResidual, type Generator } from './sparse';
import { stationaryDistribution, type StationaryMethod } from './stationary';

const tiny: MetastabilityParams = { arrivalRate: 4, serviceRate: 3, servers: 1, capacity: 2, timeout: 0.8, retries: 2 };

function dense(g: Generator): number[][] {
  const Q = Array.from({ length: g.n }, () => new Array<number>(g.n).fill(0));
  for (let i = 0; i < g.n; i++) {
    for (let k = g.rowStart[i]; k < g.rowStart[i + 1]; k++) Q[i][g.col[k]] += g.rate[k];
    Q[i][i] = -g.out[i];
  }
  return Q;
}

/** π from πQ = 0 with the last equation replaced by Σπ = 1, by Gaussian elimination. */
function denseStationary(g: Generator): number[] {
  const Q = dense(g);
  const n = g.n;
  const A = Array.from({ length: n }, (_, j) => Array.from({ length: n }, (_, i) => (j === n - 1 ? 1 : Q[i][j])));
  const b = new Array<number>(n).fill(0);
  b[n - 1] = 1;
  return solveLinear(A, b)!;
}

/** m from (−Q restricted to non-targets)·m = 1, by Gaussian elimination. */
function denseHitting(g: Generator, target: Uint8Array): number[] {
  const Q = dense(g);
  const keep = [...Array(g.n).keys()].filter((i) => !target[i]);
  const A = keep.map((i) => keep.map((j) => -Q[i][j]));
  const m = solveLinear(A, keep.map(() => 1))!;
  const out = new Array<number>(g.n).fill(0);
  keep.forEach((i, k) => (out[i] = m[k]));
  return out;
}

describe('the retry CTMC (ctmc.ts)', () => {
  it('its mean drift is PAPERS.md §6 exactly for q < N (and refuses work at q = N)', () => {
    const p: MetastabilityParams = { arrivalRate: 5, serviceRate: 10, servers: 2, capacity: 20, timeout: 1, retries: 3 };
    const c = buildCtmc(p, 30);
    const f = fluidModel(p);
    const { generator: g, N } = c;
    for (const [q, o] of [[0, 0], [1, 5], [2, 7], [10, 12], [21, 0], [21, 30], [15, 29]]) {
      const i = stateIndex(N, q, o);
      let dq = 0;
      let dO = 0;
      for (let k = g.rowStart[i]; k < g.rowStart[i + 1]; k++) {
        const j = g.col[k];
        dq += g.rate[k] * ((j % (N + 1)) - q);
        dO += g.rate[k] * (Math.floor(j / (N + 1)) - o);
      }
      if (q < N && o < 30) {
        const d = drift(f, q, o);
        expect(dq).toBeCloseTo(d.dq, 12);
        expect(dO).toBeCloseTo(d.do, 12);
      } else if (q === N) {
        expect(dq).toBeCloseTo(-p.serviceRate * p.servers, 12);
      }
    }
  });

  const tinyChain = buildCtmc(tiny, 4);
  const n = tinyChain.generator.n;
  const reference = denseStationary(tinyChain.generator);

  it.each<[StationaryMethod | 'elimination']>([['elimination'], ['aggregation'], ['gauss-seidel'], ['sor'], ['power']])(
    'stationary distribution by %s equals the dense direct solve to 1e-9 (20-state chain)',
    (method) => {
      const g = tinyChain.generator;
      let pi: Float64Array;
      if (method === 'elimination') pi = stationaryByElimination(g);
      else {
        const of = new Int32Array(n).map((_, i) => Math.floor(i / (tinyChain.N + 1)));
        const r = stationaryDistribution(g, { method, levels: { of, count: tinyChain.O + 1 } });
        expect(r.converged).toBe(true);
        expect(r.residual).toBeLessThanOrEqual(1e-10);
        pi = r.pi;
      }
      expect(n).toBe(20);
      for (let i = 0; i < n; i++) expect(Math.abs(pi[i] - reference[i])).toBeLessThan(1e-9);
      expect(stationaryResidual(g, pi)).toBeLessThan(1e-10);
    }
  );

  it.each([['elimination'], ['gauss-seidel']] as const)('hitting times by %s equal the dense direct solve to 1e-9', (method) => {
    const g = tinyChain.generator;
    const target = new Uint8Array(n);
    target[0] = 1;
    target[stateIndex(tinyChain.N, 1, 0)] = 1;
    const ref = denseHitting(g, target);
    const m = hittingTimes(g, target, { method }).values[0];
    for (let i = 0; i < n; i++) expect(Math.abs(m[i] - ref[i])).toBeLessThan(1e-9 * Math.max(1, ref[i]));
  });
});

describe('closed forms', () => {
  /** A birth–death chain on 0..K with birth rates b_k and death rates d_k. */
  function birthDeath(b: number[], d: number[]): Generator {
    const K = b.length - 1;
    const g = new GeneratorBuilder(K + 1, 2);
    for (let k = 0; k <= K; k++) {
      g.startRow(k);
      if (k < K) g.add(k + 1, b[k]);
      if (k > 0) g.add(k - 1, d[k]);
    }
    return g.finish();
  }

  it('hitting times of 0 in a birth–death chain: E_n[τ_0] = Σ_{j≤n} Σ_{i≥j} π_i/(π_j·d_j)', () => {
    const K = 60;
    const b = Array.from({ length: K + 1 }, (_, k) => 1 + 0.5 * Math.sin(k));
    const d = Array.from({ length: K + 1 }, (_, k) => 1.2 + 0.1 * k);
    // Unnormalised stationary weights of the birth–death chain.
    const w = [1];
    for (let k = 1; k <= K; k++) w.push((w[k - 1] * b[k - 1]) / d[k]);
    const step = (j: number) => w.slice(j).reduce((a, x) => a + x, 0) / (w[j] * d[j]);
    const exact: number[] = [0];
    for (let k = 1; k <= K; k++) exact.push(exact[k - 1] + step(k));
    const g = birthDeath(b, d);
    const target = new Uint8Array(K + 1);
    target[0] = 1;
    for (const method of ['elimination', 'gauss-seidel'] as const) {
      const m = hittingTimes(g, target, { method, tolerance: 1e-14, maxIterations: 1_000_000 }).values[0];
      for (let k = 0; k <= K; k++) expect(Math.abs(m[k] - exact[k])).toBeLessThan(1e-9 * Math.max(1, exact[k]));
    }
  });

  it('a metastable birth–death chain: elimination keeps full precision at E[τ] ≈ 10^30', () => {
    // Strong drift up: reaching 0 from K takes about (b/d)^K steps.
    const K = 40;
    const b = new Array(K + 1).fill(6);
    const d = new Array(K + 1).fill(1);
    const w = [1];
    for (let k = 1; k <= K; k++) w.push((w[k - 1] * b[k - 1]) / d[k]);
    let exact = 0;
    for (let j = 1; j <= K; j++) exact += w.slice(j).reduce((a, x) => a + x, 0) / (w[j] * d[j]);
    expect(exact).toBeGreaterThan(1e30);
    const target = new Uint8Array(K + 1);
    target[0] = 1;
    const m = hittingTimes(birthDeath(b, d), target).values[0];
    expect(Math.abs(m[K] - exact) / exact).toBeLessThan(1e-12);
  });

  it('M/M/1/K: with no retries and τ = ∞ the queue marginal is ρ^k(1−ρ)/(1−ρ^{K+1})', () => {
    const p: MetastabilityParams = { arrivalRate: 3, serviceRate: 4, servers: 1, capacity: 9, timeout: 1e12, retries: 0 };
    const c = buildCtmc(p, 3);
    const K = c.N;
    const rho = 0.75;
    for (const pi of [
      stationaryByElimination(c.generator),
      stationaryDistribution(c.generator, {
        method: 'aggregation',
        levels: { of: new Int32Array(c.generator.n).map((_, i) => Math.floor(i / (K + 1))), count: c.O + 1 }
      }).pi
    ]) {
      for (let k = 0; k <= K; k++) {
        let marginal = 0;
        for (let o = 0; o <= c.O; o++) marginal += pi[stateIndex(K, k, o)];
        expect(Math.abs(marginal - (rho ** k * (1 - rho)) / (1 - rho ** (K + 1)))).toBeLessThan(1e-9);
      }
    }
  });

  it('M/M/2/K: the queue marginal equals mmck() (birth–death with two servers)', () => {
    const p: MetastabilityParams = { arrivalRate: 7, serviceRate: 3, servers: 2, capacity: 6, timeout: 1e12, retries: 0 };
    const c = buildCtmc(p, 2);
    const ref = mmck(7, 3, 2, c.N).stateProbabilities;
    const pi = stationaryByElimination(c.generator);
    for (let k = 0; k <= c.N; k++) {
      let marginal = 0;
      for (let o = 0; o <= c.O; o++) marginal += pi[stateIndex(c.N, k, o)];
      expect(Math.abs(marginal - ref[k])).toBeLessThan(1e-9);
    }
  });

  it('mixing time of a two-state chain: TV(t) = |p0 − π0|·e^{−(a+b)t}, so t = ln(4·b/(a+b))/(a+b) from state 0', () => {
    const a = 2; // 0 → 1
    const b = 1; // 1 → 0
    const g = fromDense([
      [0, a],
      [b, 0]
    ]);
    const pi = Float64Array.of(b / (a + b), a / (a + b));
    // From state 0: TV(t) = (1 − π0)·e^{−(a+b)t} = (a/(a+b))·e^{−3t} ≤ 1/4.
    const exact = Math.log(4 * (a / (a + b))) / (a + b);
    const m = mixingTime(g, 0, pi);
    expect(m.time).not.toBeNull();
    expect(Math.abs(m.time! - exact)).toBeLessThan(2e-4 * exact);
    expect(m.lowerBound).toBeLessThanOrEqual(exact);
  });
});
