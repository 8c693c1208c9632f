/**
 * Priority queues with Poisson classes. A smaller `priority` number is served first; classes
 * with equal numbers form one level served FCFS among themselves.
 *
 *  - M/G/1 non-preemptive (Cobham): W₀ = Σᵢ λᵢE[Sᵢ²]/2 (mean residual work), and for a class at
 *    level k, Wq = W₀ / ((1 − σ_{k−1})(1 − σ_k)) with σ_k the load of levels 1..k.
 *  - M/G/1 preemptive-resume: a class at level k only sees levels 1..k:
 *    W = E[S]/(1 − σ_{k−1}) + R_k / ((1 − σ_{k−1})(1 − σ_k)), R_k = Σ_{levels ≤ k} λᵢE[Sᵢ²]/2.
 *  - M/M/c non-preemptive with one μ for all classes: Cobham's form with W₀ = C(c, a)/(cμ) and σ
 *    measured per server (λ/(cμ)).
 */

import { erlangC, unstableNote } from './mmc';
import type { Unstable } from './types';

export interface PriorityClassInput {
  lambda: number;
  meanService: number;
  secondMoment: number;
  /** Smaller is served first. */
  priority: number;
}

export interface PriorityClassResult {
  /** Mean time in queue. */
  Wq: number;
  /** Mean sojourn Wq + E[S]. */
  W: number;
  Lq: number;
  L: number;
}

export interface PriorityResult {
  stable: true;
  /** Total utilisation Σ λᵢE[Sᵢ] (per server for M/M/c). */
  rho: number;
  /** Mean residual work seen by an arrival, W₀. */
  W0: number;
  /** Per class, in the order given. */
  classes: PriorityClassResult[];
  /** Overall means (weighted by arrival rates). */
  Wq: number;
  W: number;
  Lq: number;
  L: number;
}

interface Levels {
  /** Level index (0 = highest priority) of each class. */
  levelOf: number[];
  /** σ_k: cumulative load of levels 0..k. */
  sigma: number[];
}

function levels(priorities: number[], loads: number[]): Levels {
  const distinct = [...new Set(priorities)].sort((a, b) => a - b);
  const levelOf = priorities.map((p) => distinct.indexOf(p));
  const perLevel = distinct.map(() => 0);
  loads.forEach((r, i) => (perLevel[levelOf[i]] += r));
  const sigma: number[] = [];
  perLevel.reduce((s, r, k) => (sigma[k] = s + r), 0);
  return { levelOf, sigma };
}

function checkClasses(classes: PriorityClassInput[]): void {
  if (classes.length === 0) throw new RangeError('priority: at least one class is needed');
  for (const k of classes) {
    if (!(k.lambda >= 0) || !Number.isFinite(k.lambda)) throw new RangeError(`λ must be ≥ 0, got ${k.lambda}`);
    if (!(k.meanService > 0)) throw new RangeError(`E[S] must be > 0, got ${k.meanService}`);
    if (!(k.secondMoment > 0)) throw new RangeError(`E[S²] must be > 0, got ${k.secondMoment}`);
    if (!Number.isFinite(k.priority)) throw new RangeError(`priority must be finite, got ${k.priority}`);
  }
}

function summarise(
  rho: number,
  W0: number,
  lambdas: number[],
  perClass: PriorityClassResult[]
): PriorityResult {
  const lambda = lambdas.reduce((s, x) => s + x, 0);
  const Lq = perClass.reduce((s, k) => s + k.Lq, 0);
  const L = perClass.reduce((s, k) => s + k.L, 0);
  return {
    stable: true,
    rho,
    W0,
    classes: perClass,
    Lq,
    L,
    Wq: lambda > 0 ? Lq / lambda : 0,
    W: lambda > 0 ? L / lambda : 0
  };
}

/** M/G/1 with non-preemptive priority classes (Cobham). */
export function mg1PriorityNonPreemptive(classes: PriorityClassInput[]): PriorityResult | Unstable {
  checkClasses(classes);
  const loads = classes.map((k) => k.lambda * k.meanService);
  const rho = loads.reduce((s, x) => s + x, 0);
  if (rho >= 1) return { stable: false, rho, note: unstableNote(rho) };
  const W0 = classes.reduce((s, k) => s + (k.lambda * k.secondMoment) / 2, 0);
  const { levelOf, sigma } = levels(
    classes.map((k) => k.priority),
    loads
  );
  const perClass = classes.map((k, i) => {
    const lv = levelOf[i];
    const above = lv > 0 ? sigma[lv - 1] : 0;
    const Wq = W0 / ((1 - above) * (1 - sigma[lv]));
    const W = Wq + k.meanService;
    return { Wq, W, Lq: k.lambda * Wq, L: k.lambda * W };
  });
  return summarise(
    rho,
    W0,
    classes.map((k) => k.lambda),
    perClass
  );
}

export type PreemptiveClassResult =
  | { stable: true; W: number; L: number }
  | { stable: false; note: string };

export interface PreemptiveResult {
  /** True when every class is stable (total ρ < 1). */
  stable: boolean;
  rho: number;
  /** Per class, in the order given; a class is stable iff the load of its level and above < 1. */
  classes: PreemptiveClassResult[];
  /** Overall mean sojourn and number present (only when every class is stable). */
  W?: number;
  L?: number;
  note?: string;
}

/** M/G/1 with preemptive-resume priority classes: per-class mean sojourn. */
export function mg1PriorityPreemptive(classes: PriorityClassInput[]): PreemptiveResult {
  checkClasses(classes);
  const loads = classes.map((k) => k.lambda * k.meanService);
  const rho = loads.reduce((s, x) => s + x, 0);
  const { levelOf, sigma } = levels(
    classes.map((k) => k.priority),
    loads
  );
  const residualUpTo = sigma.map(() => 0);
  classes.forEach((k, i) => {
    for (let lv = levelOf[i]; lv < residualUpTo.length; lv++) {
      residualUpTo[lv] += (k.lambda * k.secondMoment) / 2;
    }
  });
  const perClass: PreemptiveClassResult[] = classes.map((k, i) => {
    const lv = levelOf[i];
    const above = lv > 0 ? sigma[lv - 1] : 0;
    if (sigma[lv] >= 1) return { stable: false, note: unstableNote(sigma[lv], 'load of this and higher levels') };
    const W = k.meanService / (1 - above) + residualUpTo[lv] / ((1 - above) * (1 - sigma[lv]));
    return { stable: true, W, L: k.lambda * W };
  });
  if (rho >= 1) return { stable: false, rho, classes: perClass, note: unstableNote(rho) };
  const lambda = classes.reduce((s, k) => s + k.lambda, 0);
  const L = perClass.reduce((s, k) => s + (k.stable ? k.L : 0), 0);
  return { stable: true, rho, classes: perClass, L, W: lambda > 0 ? L / lambda : 0 };
}

/**
 * M/M/c with non-preemptive priority classes sharing one service rate μ.
 * `classes[i]` = { lambda, priority }.
 */
export function mmcPriorityNonPreemptive(
  classes: { lambda: number; priority: number }[],
  mu: number,
  c: number
): PriorityResult | Unstable {
  if (!(mu > 0)) throw new RangeError(`μ must be > 0, got ${mu}`);
  if (!Number.isInteger(c) || c < 1) throw new RangeError(`c must be a whole number ≥ 1, got ${c}`);
  checkClasses(classes.map((k) => ({ ...k, meanService: 1 / mu, secondMoment: 2 / (mu * mu) })));
  const lambdas = classes.map((k) => k.lambda);
  const lambda = lambdas.reduce((s, x) => s + x, 0);
  const rho = lambda / (c * mu);
  if (rho >= 1) return { stable: false, rho, note: unstableNote(rho) };
  const W0 = erlangC(c, lambda / mu) / (c * mu);
  const { levelOf, sigma } = levels(
    classes.map((k) => k.priority),
    lambdas.map((l) => l / (c * mu))
  );
  const perClass = classes.map((k, i) => {
    const lv = levelOf[i];
    const above = lv > 0 ? sigma[lv - 1] : 0;
    const Wq = W0 / ((1 - above) * (1 - sigma[lv]));
    const W = Wq + 1 / mu;
    return { Wq, W, Lq: k.lambda * Wq, L: k.lambda * W };
  });
  return summarise(rho, W0, lambdas, perClass);
}
