/**
 * M/M/c/K: c exponential servers, at most K requests in the station (K ≥ c, those in service
 * included); an arrival that finds K present is lost. Always has a steady state.
 *
 * Also M/G/1/K-PS: a single processor-sharing server admitting at most K requests is
 * insensitive, so its numbers are those of M/M/1/K with μ = 1/E[S].
 */

import { normaliseLogWeights } from './numeric';

export interface MMcKResult {
  stable: true;
  lambda: number;
  mu: number;
  c: number;
  K: number;
  /** p_n, n = 0..K (time average; by PASTA also what an arrival sees). */
  stateProbabilities: number[];
  /** P(an arrival is lost) = p_K. */
  pBlock: number;
  /** Throughput (accepted rate) λ(1 − p_K). */
  X: number;
  /** Mean number in the station. */
  L: number;
  /** Mean number waiting. */
  Lq: number;
  /** Mean sojourn of an accepted request, L/X. */
  W: number;
  /** Mean wait of an accepted request, Lq/X. */
  Wq: number;
  /** Busy fraction per server, X/(cμ). */
  U: number;
}

/**
 * M/M/c/K by the birth–death chain, from log-weights (no overflow for large K or λ ≫ cμ).
 * K may be large (10⁶ states is fine); K = Infinity is M/M/c: use `mmc`.
 */
export function mmck(lambda: number, mu: number, c: number, K: number): MMcKResult {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`λ must be ≥ 0, got ${lambda}`);
  if (!(mu > 0) || !Number.isFinite(mu)) throw new RangeError(`μ must be > 0, got ${mu}`);
  if (!Number.isInteger(c) || c < 1) throw new RangeError(`c must be a whole number ≥ 1, got ${c}`);
  if (!Number.isInteger(K) || K < c) throw new RangeError(`K must be a whole number ≥ c, got ${K}`);
  const logW = new Array<number>(K + 1);
  logW[0] = 0;
  for (let n = 1; n <= K; n++) logW[n] = logW[n - 1] + Math.log(lambda / (Math.min(n, c) * mu));
  const { p } = normaliseLogWeights(logW);
  let L = 0;
  let Lq = 0;
  for (let n = 1; n <= K; n++) {
    L += n * p[n];
    if (n > c) Lq += (n - c) * p[n];
  }
  const pBlock = p[K];
  const X = lambda * (1 - pBlock);
  return {
    stable: true,
    lambda,
    mu,
    c,
    K,
    stateProbabilities: p,
    pBlock,
    X,
    L,
    Lq,
    W: X > 0 ? L / X : 1 / mu,
    Wq: X > 0 ? Lq / X : 0,
    U: X / (c * mu)
  };
}

/** M/G/1/K-PS (insensitive): the numbers of M/M/1/K with μ = 1/E[S]. */
export function mg1kPs(lambda: number, meanService: number, K: number): MMcKResult {
  if (!(meanService > 0)) throw new RangeError(`E[S] must be > 0, got ${meanService}`);
  return mmck(lambda, 1 / meanService, 1, K);
}
