/**
 * Moments, Laplace–Stieltjes transforms and a few quantiles of a canonical `Dist`
 * (src/lib/model/types.ts), computed in closed form.
 *
 * This deliberately does not import src/lib/sim/distributions.ts: the analysis must stand on
 * its own so that it can check the sampler rather than share its mistakes.
 *
 * Parameterisations (must match MODEL.md and the sampler):
 *  - det {value}; exp {mean}; uniform {min, max}; erlang {k phases, mean of the sum};
 *  - hyperexp {p[i], means[i]}: phase i with probability p[i] (normalised here by Σp);
 *  - lognormal {median, p99}: ln X ~ N(μ, σ²), μ = ln median, σ = ln(p99/median) / z₀.₉₉;
 *  - pareto {alpha, min}: P(X > x) = (min/x)^α for x ≥ min;
 *  - weibull {shape k, scale λ}: P(X > x) = exp(−(x/λ)^k);
 *  - bimodal {p, fast, slow}: with probability p a draw comes from `slow`, otherwise `fast`;
 *  - empirical {samples}: a draw is one of the samples, each equally likely (resampling).
 *
 * Infinite moments are returned as `Infinity` (pareto with α ≤ 1 for the mean, α ≤ 2 for the
 * second moment). Functions that have no closed form for a family return `undefined`.
 */

import type { Dist } from '../model/types';

/** z such that Φ(z) = 0.99: the lognormal fit from median and p99 uses it. FROZEN VALUE. */
export const Z99 = 2.3263478740408408;

/* ------------------------------------------------------------------------------------------
 * Gamma function (Lanczos, g = 7, n = 9): about 15 significant digits for x > 0.
 * ---------------------------------------------------------------------------------------- */

const LANCZOS_G = 7;
const LANCZOS_COEF = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: expected x > 0, got ${x}`);
  if (x < 0.5) {
    // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const z = x - 1;
  let a = LANCZOS_COEF[0];
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS_COEF.length; i++) a += LANCZOS_COEF[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Γ(x) for real x that is not a non-positive integer; overflows to Infinity past x ≈ 171.6. */
export function gamma(x: number): number {
  if (Number.isInteger(x) && x <= 0) return NaN;
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  if (Number.isInteger(x) && x <= 21) {
    // Exact factorial for small integers (keeps Γ(2) = 1 exactly, handy in tests).
    let f = 1;
    for (let i = 2; i < x; i++) f *= i;
    return f;
  }
  return Math.exp(logGamma(x));
}

/* ------------------------------------------------------------------------------------------
 * Parameters.
 * ---------------------------------------------------------------------------------------- */

/** ln X ~ N(mu, sigma²) fitted from the median and the 99th percentile. */
export function lognormalParams(median: number, p99: number): { mu: number; sigma: number } {
  if (!(median > 0) || !(p99 >= median)) {
    throw new RangeError(`lognormal: expected 0 < median ≤ p99, got ${median}, ${p99}`);
  }
  return { mu: Math.log(median), sigma: Math.log(p99 / median) / Z99 };
}

function normalisedWeights(p: number[]): number[] {
  const total = p.reduce((s, x) => s + x, 0);
  if (!(total > 0)) throw new RangeError('hyperexp: the probabilities must have a positive sum');
  return p.map((x) => x / total);
}

/* ------------------------------------------------------------------------------------------
 * Moments.
 * ---------------------------------------------------------------------------------------- */

/** E[X]. */
export function distMean(d: Dist): number {
  switch (d.dist) {
    case 'det':
      return d.value;
    case 'exp':
      return d.mean;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'erlang':
      return d.mean;
    case 'hyperexp': {
      const w = normalisedWeights(d.p);
      return w.reduce((s, pi, i) => s + pi * d.means[i], 0);
    }
    case 'lognormal': {
      const { mu, sigma } = lognormalParams(d.median, d.p99);
      return Math.exp(mu + (sigma * sigma) / 2);
    }
    case 'pareto':
      return d.alpha > 1 ? (d.alpha * d.min) / (d.alpha - 1) : Infinity;
    case 'weibull':
      return d.scale * gamma(1 + 1 / d.shape);
    case 'bimodal':
      return (1 - d.p) * distMean(d.fast) + d.p * distMean(d.slow);
    case 'empirical':
      if (d.samples.length === 0) throw new RangeError('empirical: no samples');
      return d.samples.reduce((s, x) => s + x, 0) / d.samples.length;
  }
}

/** E[X²]. */
export function distSecondMoment(d: Dist): number {
  switch (d.dist) {
    case 'det':
      return d.value * d.value;
    case 'exp':
      return 2 * d.mean * d.mean;
    case 'uniform':
      return (d.min * d.min + d.min * d.max + d.max * d.max) / 3;
    case 'erlang':
      // Sum of k exponentials of mean m/k: Var = m²/k.
      return d.mean * d.mean * (1 + 1 / d.k);
    case 'hyperexp': {
      const w = normalisedWeights(d.p);
      return w.reduce((s, pi, i) => s + 2 * pi * d.means[i] * d.means[i], 0);
    }
    case 'lognormal': {
      const { mu, sigma } = lognormalParams(d.median, d.p99);
      return Math.exp(2 * mu + 2 * sigma * sigma);
    }
    case 'pareto':
      return d.alpha > 2 ? (d.alpha * d.min * d.min) / (d.alpha - 2) : Infinity;
    case 'weibull':
      return d.scale * d.scale * gamma(1 + 2 / d.shape);
    case 'bimodal':
      return (1 - d.p) * distSecondMoment(d.fast) + d.p * distSecondMoment(d.slow);
    case 'empirical':
      if (d.samples.length === 0) throw new RangeError('empirical: no samples');
      return d.samples.reduce((s, x) => s + x * x, 0) / d.samples.length;
  }
}

/** Var[X] (Infinity when the second moment is infinite). */
export function distVariance(d: Dist): number {
  const m = distMean(d);
  const m2 = distSecondMoment(d);
  if (!Number.isFinite(m2)) return Infinity;
  return Math.max(0, m2 - m * m);
}

/** Squared coefficient of variation Var[X]/E[X]² (1 for exponential, 0 for det). */
export function distScv(d: Dist): number {
  const m = distMean(d);
  return distVariance(d) / (m * m);
}

/* ------------------------------------------------------------------------------------------
 * Laplace–Stieltjes transform E[e^{−sX}], s ≥ 0.
 * ---------------------------------------------------------------------------------------- */

/**
 * E[e^{−sX}] for s ≥ 0, or `undefined` for families without a closed form here
 * (lognormal, pareto, weibull, and bimodal mixtures containing them).
 */
export function distLaplace(d: Dist, s: number): number | undefined {
  if (!(s >= 0)) throw new RangeError(`distLaplace: expected s ≥ 0, got ${s}`);
  switch (d.dist) {
    case 'det':
      return Math.exp(-s * d.value);
    case 'exp':
      return 1 / (1 + s * d.mean);
    case 'uniform': {
      const w = d.max - d.min;
      const x = s * w;
      if (x === 0) return Math.exp(-s * d.min);
      // e^{−s·min} (1 − e^{−s·w}) / (s·w), written with expm1 so that small s·w stays exact.
      return (Math.exp(-s * d.min) * -Math.expm1(-x)) / x;
    }
    case 'erlang':
      return Math.pow(1 + (s * d.mean) / d.k, -d.k);
    case 'hyperexp': {
      const w = normalisedWeights(d.p);
      return w.reduce((acc, pi, i) => acc + pi / (1 + s * d.means[i]), 0);
    }
    case 'bimodal': {
      const f = distLaplace(d.fast, s);
      const sl = distLaplace(d.slow, s);
      if (f === undefined || sl === undefined) return undefined;
      return (1 - d.p) * f + d.p * sl;
    }
    case 'empirical':
      if (d.samples.length === 0) throw new RangeError('empirical: no samples');
      return d.samples.reduce((acc, x) => acc + Math.exp(-s * x), 0) / d.samples.length;
    case 'lognormal':
    case 'pareto':
    case 'weibull':
      return undefined;
  }
}

/* ------------------------------------------------------------------------------------------
 * Shape tests, scaling and quantiles.
 * ---------------------------------------------------------------------------------------- */

/**
 * The rate μ when `d` is exactly exponential (exp; erlang with k = 1; hyperexp whose phases all
 * have one mean; bimodal of two equal exponentials), else `undefined`.
 */
export function exponentialRate(d: Dist): number | undefined {
  switch (d.dist) {
    case 'exp':
      return d.mean > 0 ? 1 / d.mean : undefined;
    case 'erlang':
      return d.k === 1 && d.mean > 0 ? 1 / d.mean : undefined;
    case 'hyperexp': {
      const w = normalisedWeights(d.p);
      const means = d.means.filter((_, i) => w[i] > 0);
      if (means.length === 0 || !(means[0] > 0)) return undefined;
      return means.every((m) => m === means[0]) ? 1 / means[0] : undefined;
    }
    case 'bimodal': {
      if (d.p === 0) return exponentialRate(d.fast);
      if (d.p === 1) return exponentialRate(d.slow);
      const a = exponentialRate(d.fast);
      const b = exponentialRate(d.slow);
      return a !== undefined && a === b ? a : undefined;
    }
    default:
      return undefined;
  }
}

/** True when `d` is exponential (see `exponentialRate`). */
export function isExponential(d: Dist): boolean {
  return exponentialRate(d) !== undefined;
}

/** The distribution of f·X (f > 0), e.g. a size in bytes turned into a serialisation time. */
export function scaleDist(d: Dist, f: number): Dist {
  switch (d.dist) {
    case 'det':
      return { dist: 'det', value: d.value * f };
    case 'exp':
      return { dist: 'exp', mean: d.mean * f };
    case 'uniform':
      return { dist: 'uniform', min: d.min * f, max: d.max * f };
    case 'erlang':
      return { dist: 'erlang', k: d.k, mean: d.mean * f };
    case 'hyperexp':
      return { dist: 'hyperexp', p: d.p.slice(), means: d.means.map((m) => m * f) };
    case 'lognormal':
      return { dist: 'lognormal', median: d.median * f, p99: d.p99 * f };
    case 'pareto':
      return { dist: 'pareto', alpha: d.alpha, min: d.min * f };
    case 'weibull':
      return { dist: 'weibull', shape: d.shape, scale: d.scale * f };
    case 'bimodal':
      return { dist: 'bimodal', p: d.p, fast: scaleDist(d.fast, f), slow: scaleDist(d.slow, f) };
    case 'empirical':
      return { dist: 'empirical', samples: d.samples.map((x) => x * f) };
  }
}

/**
 * The q-quantile (0 < q < 1) where it has a closed form (det, exp, erlang k = 1, uniform,
 * pareto, weibull), else `undefined`.
 */
export function distQuantile(d: Dist, q: number): number | undefined {
  if (!(q > 0 && q < 1)) throw new RangeError(`distQuantile: expected 0 < q < 1, got ${q}`);
  switch (d.dist) {
    case 'det':
      return d.value;
    case 'uniform':
      return d.min + q * (d.max - d.min);
    case 'pareto':
      return d.min * Math.pow(1 - q, -1 / d.alpha);
    case 'weibull':
      return d.scale * Math.pow(-Math.log1p(-q), 1 / d.shape);
    default: {
      const mu = exponentialRate(d);
      return mu === undefined ? undefined : -Math.log1p(-q) / mu;
    }
  }
}
