/**
 * T(q): the probability that a request which finds q requests in the system (waiting or in
 * service) times out (PAPERS.md §6), exact (an Erlang tail) and as a one-sided Chebyshev
 * (Cantelli) bound.
 *
 * The client's timeout τ covers the whole response: waiting plus the request's own service. With c
 * servers each at rate μ, a request finding q others waits W ~ Erlang(k, cμ) with
 * k = max(0, q − c + 1) (it needs k departures of the c busy servers, each at rate cμ while all are
 * busy), then is served S ~ Exp(μ). So T(q) = P(W + S > τ). For c = 1 that is Erlang(q + 1, μ).
 * FIFO and exponential service are assumed (the model extractor refuses anything else).
 *
 * Pure functions, no randomness. Tails are summed in log space so μτ in the thousands and q in the
 * tens of thousands neither underflow nor lose the small side: `notT[q] = 1 − T(q)` is computed
 * as its own sum where that is exact (c = 1), so tiny retry-success rates keep their digits.
 */
import { logGamma } from '../moments';

export type TimeoutModel = 'erlang' | 'chebyshev';
export const TIMEOUT_MODELS: readonly TimeoutModel[] = ['erlang', 'chebyshev'];

/** T(q) and 1 − T(q) for q = 0..N. */
export interface TimeoutTable {
  model: TimeoutModel;
  t: Float64Array;
  notT: Float64Array;
}

function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/**
 * log P(Pois(m) ≤ j) and log P(Pois(m) > j) for j = 0..jMax (both sums of positive terms in log
 * space, so neither side cancels).
 */
export function poissonLogTails(m: number, jMax: number): { lower: Float64Array; upper: Float64Array } {
  if (!(m >= 0) || !Number.isFinite(m)) throw new RangeError(`poissonLogTails: expected a mean ≥ 0, got ${m}`);
  const lower = new Float64Array(jMax + 1);
  const upper = new Float64Array(jMax + 1);
  if (m === 0) {
    lower.fill(0);
    upper.fill(-Infinity);
    return { lower, upper };
  }
  const lm = Math.log(m);
  const logP = (j: number) => -m + j * lm - logGamma(j + 1);
  let acc = -Infinity;
  for (let j = 0; j <= jMax; j++) {
    acc = logAdd(acc, logP(j));
    lower[j] = Math.min(0, acc);
  }
  // Upper tail: sum from far past the mode (terms beyond add nothing in float64) down to j + 1.
  const end = Math.max(jMax + 1, Math.ceil(m + 40 * Math.sqrt(m) + 50));
  if (end - jMax > 1e6) {
    // jMax is far below the mean (a huge μτ): every lower tail is tiny, so 1 − lower is exact.
    for (let j = 0; j <= jMax; j++) upper[j] = Math.log1p(-Math.exp(lower[j]));
    return { lower, upper };
  }
  let tail = -Infinity;
  for (let j = end; j > jMax; j--) tail = logAdd(tail, logP(j));
  for (let j = jMax; j >= 0; j--) {
    upper[j] = Math.min(0, tail);
    tail = logAdd(tail, logP(j));
  }
  return { lower, upper };
}

/** P(Erlang(k, rate) > τ) = P(Pois(rate·τ) ≤ k − 1); 0 phases means 0. */
export function erlangTail(k: number, rate: number, tau: number): number {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`erlangTail: expected a whole number of phases, got ${k}`);
  if (k === 0) return 0;
  return Math.exp(poissonLogTails(rate * tau, k - 1).lower[k - 1]);
}

/** Mean and variance of the response time W + S of a request finding q in the system. */
export function responseMoments(q: number, mu: number, c: number): { mean: number; variance: number } {
  const k = Math.max(0, q - c + 1);
  return { mean: k / (c * mu) + 1 / mu, variance: k / (c * mu) ** 2 + 1 / mu ** 2 };
}

/** Cantelli's one-sided inequality: P(X ≥ τ) ≤ σ²/(σ² + (τ − m)²) for τ > m, else the trivial 1. */
export function cantelliBound(mean: number, variance: number, tau: number): number {
  if (!(tau > mean)) return 1;
  const d = tau - mean;
  return variance / (variance + d * d);
}

/**
 * T(q) for q = 0..N. `erlang`: the exact tail of W + S. `chebyshev`: Cantelli's bound on it,
 * which is ≥ the exact value for every q (a test checks this).
 */
export function timeoutTable(N: number, mu: number, c: number, tau: number, model: TimeoutModel): TimeoutTable {
  if (!Number.isInteger(N) || N < 0) throw new RangeError(`timeoutTable: expected N ≥ 0, got ${N}`);
  if (!(mu > 0) || !(c >= 1) || !Number.isInteger(c) || !(tau > 0)) {
    throw new RangeError(`timeoutTable: expected μ > 0, whole c ≥ 1, τ > 0; got ${mu}, ${c}, ${tau}`);
  }
  const t = new Float64Array(N + 1);
  const notT = new Float64Array(N + 1);
  if (model === 'chebyshev') {
    for (let q = 0; q <= N; q++) {
      const { mean, variance } = responseMoments(q, mu, c);
      t[q] = cantelliBound(mean, variance, tau);
      notT[q] = 1 - t[q];
    }
    return { model, t, notT };
  }
  if (c === 1) {
    // Erlang(q + 1, μ) > τ  ⇔  fewer than q + 1 Poisson(μτ) events in τ.
    const { lower, upper } = poissonLogTails(mu * tau, N);
    for (let q = 0; q <= N; q++) {
      t[q] = Math.exp(lower[q]);
      notT[q] = Math.exp(upper[q]);
    }
    return { model, t, notT };
  }
  // c > 1: T = P(W > τ) + e^{−μτ}·(c/(c−1))^k·P(Erlang(k, (c−1)μ) ≤ τ); see the file comment.
  const kMax = Math.max(0, N - c + 1);
  const w = poissonLogTails(c * mu * tau, Math.max(0, kMax - 1));
  const v = poissonLogTails((c - 1) * mu * tau, Math.max(0, kMax - 1));
  const lr = Math.log(c / (c - 1));
  for (let q = 0; q <= N; q++) {
    const k = Math.max(0, q - c + 1);
    let value: number;
    if (k === 0) value = Math.exp(-mu * tau);
    else {
      const pW = Math.exp(w.lower[k - 1]); // P(W > τ)
      const second = Math.exp(-mu * tau + k * lr + v.upper[k - 1]); // P(Pois((c−1)μτ) ≥ k)
      value = Math.min(1, pW + second);
    }
    t[q] = value;
    notT[q] = 1 - value;
  }
  return { model, t, notT };
}
