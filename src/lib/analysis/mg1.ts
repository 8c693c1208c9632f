/**
 * M/G/1 single-server queues with an infinite waiting room:
 *  - FCFS by Pollaczek–Khinchine: Wq = λE[S²] / (2(1 − ρ));
 *  - processor sharing (PS): E[T] = E[S]/(1 − ρ), and E[T | S = x] = x/(1 − ρ); the number
 *    present is geometric, P(N = n) = (1 − ρ)ρⁿ, whatever the service distribution;
 *  - LCFS: preemptive-resume has the PS mean E[S]/(1 − ρ); non-preemptive has the FCFS mean
 *    (any non-preemptive order that ignores service times does).
 * Stable iff ρ = λE[S] < 1. With E[S²] = ∞ (e.g. pareto α ≤ 2) the FCFS mean wait is infinite
 * although the queue is stable; the result then says so with `Wq = Infinity`.
 */

import { unstableNote } from './mmc';
import type { Unstable } from './types';

export interface MG1Result {
  stable: true;
  lambda: number;
  meanService: number;
  secondMoment: number;
  /** ρ = λE[S] = busy fraction. */
  rho: number;
  /** P(an arrival waits) = ρ (PASTA). */
  pWait: number;
  Wq: number;
  W: number;
  Lq: number;
  L: number;
  U: number;
}

function check(lambda: number, meanService: number): void {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`λ must be ≥ 0, got ${lambda}`);
  if (!(meanService > 0) || !Number.isFinite(meanService)) {
    throw new RangeError(`E[S] must be a finite number > 0, got ${meanService}`);
  }
}

/** M/G/1 FCFS (Pollaczek–Khinchine mean-value formula). */
export function mg1PollaczekKhinchine(
  lambda: number,
  meanService: number,
  secondMoment: number
): MG1Result | Unstable {
  check(lambda, meanService);
  if (!(secondMoment >= meanService * meanService * (1 - 1e-12))) {
    throw new RangeError(`E[S²] must be ≥ E[S]², got ${secondMoment}`);
  }
  const rho = lambda * meanService;
  if (rho >= 1) return { stable: false, rho, note: unstableNote(rho) };
  const Wq = lambda === 0 ? 0 : (lambda * secondMoment) / (2 * (1 - rho));
  const W = Wq + meanService;
  return {
    stable: true,
    lambda,
    meanService,
    secondMoment,
    rho,
    pWait: rho,
    Wq,
    W,
    Lq: lambda * Wq,
    L: lambda * W,
    U: rho
  };
}

/** M/D/1: Pollaczek–Khinchine with E[S²] = D². */
export function md1(lambda: number, D: number): MG1Result | Unstable {
  return mg1PollaczekKhinchine(lambda, D, D * D);
}

export interface MG1PSResult {
  stable: true;
  lambda: number;
  meanService: number;
  rho: number;
  /** Mean sojourn E[S]/(1 − ρ). */
  W: number;
  /** Mean number present ρ/(1 − ρ). */
  L: number;
  /** Busy fraction ρ. */
  U: number;
  /** The slowdown 1/(1 − ρ): E[T | S = x] = x · slowdown. */
  slowdown: number;
  /** Geometric (1 − ρ)ρⁿ, listed until the remaining tail is < 1e-12 (at most 10 000 states). */
  stateProbabilities: number[];
}

/** M/G/1 processor sharing (insensitive). */
export function mg1Ps(lambda: number, meanService: number): MG1PSResult | Unstable {
  check(lambda, meanService);
  const rho = lambda * meanService;
  if (rho >= 1) return { stable: false, rho, note: unstableNote(rho) };
  const slowdown = 1 / (1 - rho);
  const p: number[] = [];
  let pn = 1 - rho;
  let remaining = 1;
  while (p.length < 10_000 && (p.length === 0 || remaining >= 1e-12)) {
    p.push(pn);
    remaining -= pn;
    pn *= rho;
  }
  return {
    stable: true,
    lambda,
    meanService,
    rho,
    W: meanService * slowdown,
    L: rho * slowdown,
    U: rho,
    slowdown,
    stateProbabilities: p
  };
}

export interface MG1LcfsResult {
  stable: true;
  lambda: number;
  meanService: number;
  rho: number;
  preemptive: boolean;
  /** Mean sojourn. */
  W: number;
  /** Mean number present. */
  L: number;
  /** Mean wait before first service: only for non-preemptive LCFS (the FCFS value). */
  Wq?: number;
  U: number;
}

/**
 * M/G/1 LCFS. Preemptive-resume: E[T] = E[S]/(1 − ρ) (as PS). Non-preemptive: the FCFS
 * (Pollaczek–Khinchine) means, which need E[S²].
 */
export function mg1Lcfs(
  lambda: number,
  meanService: number,
  secondMoment: number,
  preemptive: boolean
): MG1LcfsResult | Unstable {
  check(lambda, meanService);
  const rho = lambda * meanService;
  if (rho >= 1) return { stable: false, rho, note: unstableNote(rho) };
  if (preemptive) {
    const W = meanService / (1 - rho);
    return { stable: true, lambda, meanService, rho, preemptive, W, L: lambda * W, U: rho };
  }
  const pk = mg1PollaczekKhinchine(lambda, meanService, secondMoment);
  if (!pk.stable) return pk;
  return { stable: true, lambda, meanService, rho, preemptive, W: pk.W, L: pk.L, Wq: pk.Wq, U: rho };
}
