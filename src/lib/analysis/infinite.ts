/**
 * Infinite-server stations (pure delay): M/M/∞ and M/G/∞. Nobody waits; the number present is
 * Poisson with mean a = λ·E[S] for any service distribution (insensitivity). Always stable
 * when E[S] is finite. The means (L = λE[S], W = E[S]) hold for any arrival process.
 */

import { MAX_LISTED_STATES, STATE_TAIL_TOLERANCE } from './mmc';
import { normaliseLogWeights, percentilesOf } from './numeric';
import type { Quantiles } from './types';

export interface InfiniteServerResult {
  stable: true;
  lambda: number;
  meanService: number;
  /** Mean number present = λ·E[S]. */
  L: number;
  /** Mean time = E[S]. */
  W: number;
  Wq: 0;
  Lq: 0;
  /** Poisson(a) probabilities, listed until the remaining tail is < 1e-12. */
  stateProbabilities: number[];
}

export interface MMInfResult extends InfiniteServerResult {
  mu: number;
  /** The sojourn is the service time, Exp(μ). */
  responseQuantiles: Quantiles;
}

/** Poisson(a) probabilities p_0..p_N with P(N > N_listed) < 1e-12. */
export function poissonProbabilities(a: number): number[] {
  if (!(a >= 0) || !Number.isFinite(a)) throw new RangeError(`a must be a finite number ≥ 0, got ${a}`);
  if (a === 0) return [1];
  // Enough states to cover the mean plus many standard deviations, then trim the tail.
  const n = Math.min(MAX_LISTED_STATES, Math.ceil(a + 12 * Math.sqrt(a) + 30));
  const logW = [0];
  for (let k = 1; k <= n; k++) logW.push(logW[k - 1] + Math.log(a / k));
  const { p } = normaliseLogWeights(logW);
  let tail = 0;
  let last = p.length - 1;
  while (last > Math.floor(a) && tail + p[last] < STATE_TAIL_TOLERANCE) tail += p[last--];
  return p.slice(0, last + 1);
}

/** M/G/∞ from the arrival rate and the mean service (delay) time. */
export function mgInf(lambda: number, meanService: number): InfiniteServerResult {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`λ must be ≥ 0, got ${lambda}`);
  if (!(meanService >= 0) || !Number.isFinite(meanService)) {
    throw new RangeError(`E[S] must be a finite number ≥ 0, got ${meanService}`);
  }
  const a = lambda * meanService;
  return {
    stable: true,
    lambda,
    meanService,
    L: a,
    W: meanService,
    Wq: 0,
    Lq: 0,
    stateProbabilities: poissonProbabilities(a)
  };
}

/** M/M/∞. */
export function mmInf(lambda: number, mu: number): MMInfResult {
  if (!(mu > 0)) throw new RangeError(`μ must be > 0, got ${mu}`);
  return {
    ...mgInf(lambda, 1 / mu),
    mu,
    responseQuantiles: percentilesOf((q) => -Math.log1p(-q) / mu)
  };
}
