/**
 * GI/M/1: renewal arrivals (inter-arrival A with Laplace–Stieltjes transform A*), one
 * exponential server of rate μ, FCFS, infinite queue.
 *
 * σ is the root in (0, 1) of σ = A*(μ(1 − σ)) (it exists iff ρ = λ/μ < 1, λ = 1/E[A]). Then an
 * arrival finds n present with probability (1 − σ)σⁿ, so P(wait) = σ, the wait is 0 or
 * Exp(μ(1 − σ)), the sojourn is Exp(μ(1 − σ)), and the time-average state probabilities are
 * p₀ = 1 − ρ, p_n = ρ(1 − σ)σ^{n−1}.
 */

import type { Dist } from '../model/types';
import { distLaplace, distMean } from './moments';
import { unstableNote } from './mmc';
import { bisect, percentilesOf } from './numeric';
import type { Quantiles, Unstable } from './types';

export interface GIM1Result {
  stable: true;
  lambda: number;
  mu: number;
  rho: number;
  /** Root of σ = A*(μ(1 − σ)); also P(an arrival waits). */
  sigma: number;
  pWait: number;
  Wq: number;
  W: number;
  Lq: number;
  L: number;
  U: number;
  /** Time-average p_n, listed until the remaining tail is < 1e-12 (at most 10 000 states). */
  stateProbabilities: number[];
  waitQuantiles: Quantiles;
  responseQuantiles: Quantiles;
}

/**
 * Solves σ = A*(μ(1 − σ)) for the root in (0, 1). f(σ) = A*(μ(1 − σ)) − σ is convex with
 * f(0) = A*(μ) > 0 and f(1) = 0, f′(1) = μE[A] − 1 > 0 when ρ < 1, so f is negative just below
 * 1 and the root is bracketed by [0, 1 − δ] for a small enough δ; bisection then runs to
 * machine precision.
 */
export function gim1Sigma(laplace: (s: number) => number, mu: number): number {
  const f = (s: number): number => laplace(mu * (1 - s)) - s;
  let delta = 0.5;
  while (!(f(1 - delta) < 0)) {
    delta /= 2;
    if (delta < 1e-15) throw new RangeError('GI/M/1: no root below 1 (is ρ < 1?)');
  }
  return bisect(f, 0, 1 - delta);
}

/** GI/M/1 from the mean inter-arrival time and the transform A*(s) = E[e^{−sA}]. */
export function gim1FromLaplace(
  meanInterarrival: number,
  laplace: (s: number) => number,
  mu: number
): GIM1Result | Unstable {
  if (!(meanInterarrival > 0) || !Number.isFinite(meanInterarrival)) {
    throw new RangeError(`E[A] must be a finite number > 0, got ${meanInterarrival}`);
  }
  if (!(mu > 0) || !Number.isFinite(mu)) throw new RangeError(`μ must be > 0, got ${mu}`);
  const lambda = 1 / meanInterarrival;
  const rho = lambda / mu;
  if (rho >= 1) return { stable: false, rho, note: unstableNote(rho) };
  const sigma = gim1Sigma(laplace, mu);
  const eta = mu * (1 - sigma);
  const W = 1 / eta;
  const Wq = sigma / eta;
  const p = [1 - rho];
  let pn = rho * (1 - sigma);
  let remaining = rho;
  while (p.length < 10_000 && remaining >= 1e-12) {
    p.push(pn);
    remaining -= pn;
    pn *= sigma;
  }
  return {
    stable: true,
    lambda,
    mu,
    rho,
    sigma,
    pWait: sigma,
    Wq,
    W,
    Lq: lambda * Wq,
    L: lambda * W,
    U: rho,
    stateProbabilities: p,
    waitQuantiles: percentilesOf((q) => (1 - q >= sigma ? 0 : Math.log(sigma / (1 - q)) / eta)),
    responseQuantiles: percentilesOf((q) => -Math.log1p(-q) / eta)
  };
}

/**
 * GI/M/1 for an inter-arrival `Dist` whose transform has a closed form (det, exp, uniform,
 * erlang, hyperexp, empirical, bimodal of those); throws for the others.
 */
export function gim1(interarrival: Dist, mu: number): GIM1Result | Unstable {
  if (distLaplace(interarrival, 0) === undefined) {
    throw new RangeError(`GI/M/1: no Laplace transform for a ${interarrival.dist} inter-arrival time`);
  }
  return gim1FromLaplace(distMean(interarrival), (s) => distLaplace(interarrival, s) as number, mu);
}
