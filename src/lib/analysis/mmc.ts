/**
 * M/M/c with an infinite FCFS queue (Erlang C), including the waiting- and sojourn-time
 * distributions and the time-average state probabilities. M/M/1 is the case c = 1.
 *
 * Notation: λ arrival rate, μ service rate per server, c servers, a = λ/μ offered load
 * (Erlangs), ρ = a/c per-server utilisation; θ = cμ − λ. Stable iff ρ < 1.
 */

import { erlangB } from './loss';
import { invertTail, normaliseLogWeights, percentilesOf } from './numeric';
import type { Quantiles, Unstable } from './types';

/** States are listed until the probability of all further states falls below this. */
export const STATE_TAIL_TOLERANCE = 1e-12;
/** …or until this many states are listed (ρ very close to 1). */
export const MAX_LISTED_STATES = 10_000;

export interface MMcResult {
  stable: true;
  lambda: number;
  mu: number;
  c: number;
  /** Offered load a = λ/μ (Erlangs). */
  offeredLoad: number;
  /** Per-server utilisation ρ = λ/(cμ). */
  rho: number;
  /** Erlang C: probability that an arrival waits, P(Wq > 0). */
  pWait: number;
  /** Mean time in queue. */
  Wq: number;
  /** Mean sojourn Wq + 1/μ. */
  W: number;
  /** Mean number waiting. */
  Lq: number;
  /** Mean number in the station. */
  L: number;
  /** Busy fraction per server (= ρ). */
  U: number;
  /** Time-average P(N = n), n = 0.., listed until the remaining tail is < 1e-12. */
  stateProbabilities: number[];
  /** Percentiles of the time in queue (0 where P(wait) is below the level). */
  waitQuantiles: Quantiles;
  /** Percentiles of the sojourn time. */
  responseQuantiles: Quantiles;
}

function checkRates(lambda: number, mu: number, c: number): void {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`λ must be ≥ 0, got ${lambda}`);
  if (!(mu > 0) || !Number.isFinite(mu)) throw new RangeError(`μ must be > 0, got ${mu}`);
  if (!Number.isInteger(c) || c < 1) throw new RangeError(`c must be a whole number ≥ 1, got ${c}`);
}

export function unstableNote(rho: number, what = 'ρ'): string {
  return `${what} = ${rho.toPrecision(4)} ≥ 1: the queue grows without bound; no steady-state means`;
}

/**
 * Erlang C: the probability that an arrival to M/M/c with offered load a waits. Uses the
 * stable Erlang B recursion; 1 when a ≥ c.
 */
export function erlangC(c: number, a: number): number {
  if (!Number.isInteger(c) || c < 1) throw new RangeError(`c must be a whole number ≥ 1, got ${c}`);
  if (!(a >= 0)) throw new RangeError(`a must be ≥ 0, got ${a}`);
  if (a >= c) return 1;
  const b = erlangB(c, a);
  const rho = a / c;
  return b / (1 - rho * (1 - b));
}

/** P(Wq > t) = C·e^{−θt}. */
export function mmcWaitTail(lambda: number, mu: number, c: number, t: number): number {
  checkRates(lambda, mu, c);
  const C = erlangC(c, lambda / mu);
  return t < 0 ? 1 : C * Math.exp(-(c * mu - lambda) * t);
}

/** The q-quantile of the time in queue: ln(C/(1−q))/θ, or 0 when 1 − q ≥ C. */
export function mmcWaitQuantile(lambda: number, mu: number, c: number, q: number): number {
  checkRates(lambda, mu, c);
  if (!(q > 0 && q < 1)) throw new RangeError(`q must be in (0, 1), got ${q}`);
  const C = erlangC(c, lambda / mu);
  const theta = c * mu - lambda;
  if (!(theta > 0)) return Infinity;
  return 1 - q >= C ? 0 : Math.log(C / (1 - q)) / theta;
}

/**
 * P(T > t) for the sojourn T = Wq + S, S ~ Exp(μ): the wait is 0 with probability 1 − C and
 * Exp(θ) otherwise, so P(T > t) = (1 − C)e^{−μt} + C·P(Exp(θ) + Exp(μ) > t), where for rates
 * a ≤ b, P(Exp(a) + Exp(b) > t) = e^{−at}[1 + a(1 − e^{−(b−a)t})/(b − a)] (→ e^{−at}(1 + at)
 * as b → a; written with expm1 so that it neither cancels nor overflows).
 */
export function mmcResponseTail(lambda: number, mu: number, c: number, t: number): number {
  checkRates(lambda, mu, c);
  if (t <= 0) return 1;
  const C = erlangC(c, lambda / mu);
  const theta = c * mu - lambda;
  const a = Math.min(theta, mu);
  const b = Math.max(theta, mu);
  const d = b - a;
  const conv = Math.exp(-a * t) * (1 + a * (d === 0 ? t : -Math.expm1(-d * t) / d));
  return (1 - C) * Math.exp(-mu * t) + C * conv;
}

/**
 * The q-quantile of the sojourn time. For c = 1 the sojourn is Exp(μ − λ) exactly; for c > 1
 * the tail above is inverted numerically (bisection to machine precision).
 */
export function mmcResponseQuantile(lambda: number, mu: number, c: number, q: number): number {
  checkRates(lambda, mu, c);
  if (!(q > 0 && q < 1)) throw new RangeError(`q must be in (0, 1), got ${q}`);
  if (!(lambda < c * mu)) return Infinity;
  if (c === 1) return -Math.log1p(-q) / (mu - lambda);
  return invertTail((t) => mmcResponseTail(lambda, mu, c, t), 1 - q, 1 / mu);
}

/** M/M/c: all measures, or `stable: false` when ρ ≥ 1. */
export function mmc(lambda: number, mu: number, c: number): MMcResult | Unstable {
  checkRates(lambda, mu, c);
  const a = lambda / mu;
  const rho = a / c;
  if (rho >= 1) return { stable: false, rho, note: unstableNote(rho) };
  const C = erlangC(c, a);
  const theta = c * mu - lambda;
  const Wq = C / theta;
  const W = Wq + 1 / mu;
  const Lq = lambda * Wq;
  const L = Lq + a;
  return {
    stable: true,
    lambda,
    mu,
    c,
    offeredLoad: a,
    rho,
    pWait: C,
    Wq,
    W,
    Lq,
    L,
    U: rho,
    stateProbabilities: mmcStates(a, c),
    waitQuantiles: percentilesOf((q) => mmcWaitQuantile(lambda, mu, c, q)),
    responseQuantiles: percentilesOf((q) => mmcResponseQuantile(lambda, mu, c, q))
  };
}

/** M/M/1 = M/M/c with c = 1. */
export function mm1(lambda: number, mu: number): MMcResult | Unstable {
  return mmc(lambda, mu, 1);
}

/**
 * Time-average p_n of a stable M/M/c: p_n ∝ aⁿ/n! for n ≤ c, p_c·ρ^{n−c} beyond. Computed from
 * log-weights (no overflow for large c or a), the geometric tail beyond c summed in closed form.
 */
function mmcStates(a: number, c: number): number[] {
  const rho = a / c;
  const logW = [0];
  for (let n = 1; n <= c; n++) logW.push(logW[n - 1] + Math.log(a / n));
  const tailLog = rho > 0 ? logW[c] + Math.log(rho / (1 - rho)) : -Infinity;
  const { p } = normaliseLogWeights(logW, tailLog);
  let pn = p[c];
  let remaining = rho > 0 ? (pn * rho) / (1 - rho) : 0;
  while (remaining >= STATE_TAIL_TOLERANCE && p.length < MAX_LISTED_STATES) {
    pn *= rho;
    p.push(pn);
    remaining -= pn;
  }
  return p;
}
