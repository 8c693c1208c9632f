/**
 * Distributions: samplers for the engine and exact moments, CDFs and quantiles for the
 * analysis and the tests. Every `Dist` is in canonical form, base units (model/types.ts).
 *
 * Sampling is by inversion wherever a closed form exists: one uniform per draw, monotone in
 * that uniform, so common random numbers stay aligned between variants of a model (a slower
 * server draws a proportionally longer time from the same uniform). Exceptions, by necessity:
 * `det` draws nothing; `erlang` draws k uniforms; `hyperexp` and `bimodal` draw one uniform to
 * choose a branch, then the branch's draws.
 *
 * Samplers are closures specialised per distribution, built once at compile time; none
 * allocates per draw. `1 - rng.next()` is exact and lies in (0, 1] (see Rng.next), which is
 * what the logarithms and negative powers below need.
 */
import type { Dist } from '../model/types';
import type { Rng } from './rng';
import { log1p as dlog1p, expm1 as dexpm1, log as dlog, exp as dexp, pow as dpow } from './detmath';

export type Sampler = (rng: Rng) => number;

/** z such that Φ(z) = 0.99: the lognormal fit maps p99 to μ + σ·z. */
export const Z99 = 2.3263478740408408;

/** 2^-54: shifts a draw on the 2^-53 grid to the midpoint of its cell, strictly inside (0, 1). */
const HALF_ULP = 5.551115123125783e-17;

/* ------------------------------------------------------------------------------------------
 * Validation (a Dist that fails here reaching the engine is a bug upstream).
 * ---------------------------------------------------------------------------------------- */

const isPos = (x: number) => x > 0 && x < Infinity;
const isNonNeg = (x: number) => x >= 0 && x < Infinity;

/** A message describing why `d` is not a valid canonical distribution, or null when it is. */
export function distIssue(d: Dist): string | null {
  switch (d.dist) {
    case 'det':
      return Number.isFinite(d.value) ? null : 'det: value must be finite';
    case 'exp':
      return isNonNeg(d.mean) ? null : 'exp: mean must be ≥ 0 and finite';
    case 'uniform':
      return Number.isFinite(d.min) && Number.isFinite(d.max) && d.min <= d.max
        ? null
        : 'uniform: need finite min ≤ max';
    case 'erlang':
      return Number.isInteger(d.k) && d.k >= 1 && isNonNeg(d.mean)
        ? null
        : 'erlang: k must be an integer ≥ 1 and mean ≥ 0';
    case 'hyperexp': {
      if (d.p.length === 0 || d.p.length !== d.means.length)
        return 'hyperexp: p and means must be non-empty and of equal length';
      let sum = 0;
      for (let i = 0; i < d.p.length; i++) {
        if (!isNonNeg(d.p[i]) || !isNonNeg(d.means[i]))
          return 'hyperexp: probabilities and means must be ≥ 0';
        sum += d.p[i];
      }
      return sum > 0 ? null : 'hyperexp: probabilities must not all be 0';
    }
    case 'lognormal':
      return isPos(d.median) && isPos(d.p99) && d.p99 >= d.median
        ? null
        : 'lognormal: need 0 < median ≤ p99';
    case 'pareto':
      return isPos(d.alpha) && isPos(d.min) ? null : 'pareto: alpha and min must be > 0';
    case 'weibull':
      return isPos(d.shape) && isNonNeg(d.scale) ? null : 'weibull: shape > 0 and scale ≥ 0';
    case 'bimodal':
      if (!(d.p >= 0 && d.p <= 1)) return 'bimodal: p must be in [0, 1]';
      return distIssue(d.fast) ?? distIssue(d.slow);
    case 'empirical':
      if (d.samples.length === 0) return 'empirical: samples must not be empty';
      for (const x of d.samples) if (!Number.isFinite(x)) return 'empirical: samples must be finite';
      return null;
    default:
      return assertNever(d);
  }
}

function assertNever(x: never): never {
  throw new Error(`unknown distribution ${JSON.stringify(x)}`);
}

function check(d: Dist): void {
  const issue = distIssue(d);
  if (issue !== null) throw new RangeError(issue);
}

/** Normalised cumulative probabilities of a hyperexponential (last entry exactly 1). */
function cumulative(p: readonly number[]): Float64Array {
  let total = 0;
  for (const x of p) total += x;
  const c = new Float64Array(p.length);
  let acc = 0;
  for (let i = 0; i < p.length; i++) {
    acc += p[i] / total;
    c[i] = acc;
  }
  c[p.length - 1] = 1;
  return c;
}

/* ------------------------------------------------------------------------------------------
 * Samplers.
 * ---------------------------------------------------------------------------------------- */

/**
 * Samplers made so far, by distribution (its JSON, −0 kept apart from 0). A sampler is a pure
 * function of its parameters and the generator it is given, so equal distributions share one:
 * each replication then calls the very functions the previous one did, and the optimiser's
 * code, which inlines a sampler by identity, stays valid (new closures for every replication
 * made it throw that code away and rebuild it at the start of each run). Bounded: cleared when
 * it grows past SAMPLER_CACHE_MAX distinct distributions.
 */
const samplerCache = new Map<string, Sampler>();
const SAMPLER_CACHE_MAX = 4096;

const distKey = (d: Dist) => JSON.stringify(d, (_k, v: unknown) => (typeof v === 'number' && Object.is(v, -0) ? '-0' : v));

/** A sampler specialised for `d`. Throws RangeError if `d` is invalid (see distIssue). */
export function makeSampler(d: Dist): Sampler {
  const key = distKey(d);
  let s = samplerCache.get(key);
  if (s === undefined) {
    s = buildSampler(d);
    if (samplerCache.size >= SAMPLER_CACHE_MAX) samplerCache.clear();
    samplerCache.set(key, s);
  }
  return s;
}

function buildSampler(d: Dist): Sampler {
  check(d);
  switch (d.dist) {
    case 'det': {
      const v = d.value;
      return () => v;
    }
    case 'exp': {
      const m = d.mean;
      return (rng) => m * rng.exponential();
    }
    case 'uniform': {
      const a = d.min;
      const w = d.max - d.min;
      return (rng) => a + w * rng.next();
    }
    case 'erlang': {
      const k = d.k;
      const scale = d.mean / k;
      if (k === 1) return (rng) => scale * rng.exponential();
      return (rng) => {
        // −scale·ln ∏ U_i with one logarithm. Each factor is ≥ 2^-53, so flushing the product
        // into `logSum` below 1e-280 keeps it a normal double (no subnormal precision loss).
        let prod = 1;
        let logSum = 0;
        for (let i = 0; i < k; i++) {
          prod *= 1 - rng.next();
          if (prod < 1e-280) {
            logSum += dlog(prod);
            prod = 1;
          }
        }
        return -scale * (logSum + dlog(prod));
      };
    }
    case 'hyperexp': {
      const cum = cumulative(d.p);
      const means = Float64Array.from(d.means);
      const n = cum.length;
      return (rng) => {
        const u = rng.next();
        let i = 0;
        while (i < n - 1 && u >= cum[i]) i++;
        return means[i] * rng.exponential();
      };
    }
    case 'lognormal': {
      const mu = dlog(d.median);
      const sigma = (dlog(d.p99) - mu) / Z99;
      // Raw Acklam (relative error < 1.2e-9) is ample for sampling and avoids erfc per draw.
      // u = k·2^-53 is mapped to its cell's midpoint (k + ½)·2^-53, strictly inside (0, 1),
      // evaluated in the lower half by symmetry so every step is exact (the midpoint itself is
      // not representable above ½) and the result stays monotone in u.
      return (rng) => {
        const u = rng.next();
        const z = u < 0.5 ? acklam(u + HALF_ULP) : -acklam(1 - u - HALF_ULP);
        return dexp(mu + sigma * z);
      };
    }
    case 'pareto': {
      const min = d.min;
      const e = -1 / d.alpha;
      return (rng) => min * dpow(1 - rng.next(), e);
    }
    case 'weibull': {
      const scale = d.scale;
      const e = 1 / d.shape;
      return (rng) => scale * dpow(rng.exponential(), e);
    }
    case 'bimodal': {
      const p = d.p;
      const fast = makeSampler(d.fast);
      const slow = makeSampler(d.slow);
      return (rng) => (rng.next() < p ? slow(rng) : fast(rng));
    }
    case 'empirical': {
      const xs = Float64Array.from(d.samples);
      const n = xs.length;
      return (rng) => xs[Math.floor(rng.next() * n)];
    }
    default:
      return assertNever(d);
  }
}

/* ------------------------------------------------------------------------------------------
 * Moments.
 * ---------------------------------------------------------------------------------------- */

function lognormalParams(d: { median: number; p99: number }): { mu: number; sigma: number } {
  const mu = dlog(d.median);
  return { mu, sigma: (dlog(d.p99) - mu) / Z99 };
}

/** E[X]; Infinity where it does not exist (pareto α ≤ 1). */
export function distMean(d: Dist): number {
  switch (d.dist) {
    case 'det':
      return d.value;
    case 'exp':
    case 'erlang':
      return d.mean;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'hyperexp': {
      let total = 0;
      let m = 0;
      for (let i = 0; i < d.p.length; i++) {
        total += d.p[i];
        m += d.p[i] * d.means[i];
      }
      return m / total;
    }
    case 'lognormal': {
      const { mu, sigma } = lognormalParams(d);
      return dexp(mu + (sigma * sigma) / 2);
    }
    case 'pareto':
      return d.alpha > 1 ? (d.alpha * d.min) / (d.alpha - 1) : Infinity;
    case 'weibull':
      return d.scale * gamma(1 + 1 / d.shape);
    case 'bimodal':
      return d.p * distMean(d.slow) + (1 - d.p) * distMean(d.fast);
    case 'empirical': {
      let s = 0;
      for (const x of d.samples) s += x;
      return s / d.samples.length;
    }
    default:
      return assertNever(d);
  }
}

/** Var[X]; Infinity where it does not exist (pareto α ≤ 2). Computed without E[X²] − E[X]². */
export function distVariance(d: Dist): number {
  switch (d.dist) {
    case 'det':
      return 0;
    case 'exp':
      return d.mean * d.mean;
    case 'uniform':
      return ((d.max - d.min) * (d.max - d.min)) / 12;
    case 'erlang':
      return (d.mean * d.mean) / d.k;
    case 'hyperexp': {
      // Law of total variance: Σ p_i (m_i² + (m_i − m)²).
      const m = distMean(d);
      let total = 0;
      let v = 0;
      for (let i = 0; i < d.p.length; i++) {
        const mi = d.means[i];
        total += d.p[i];
        v += d.p[i] * (mi * mi + (mi - m) * (mi - m));
      }
      return v / total;
    }
    case 'lognormal': {
      const { mu, sigma } = lognormalParams(d);
      const s2 = sigma * sigma;
      return dexpm1(s2) * dexp(2 * mu + s2);
    }
    case 'pareto': {
      const a = d.alpha;
      return a > 2 ? (a * d.min * d.min) / ((a - 1) * (a - 1) * (a - 2)) : Infinity;
    }
    case 'weibull': {
      const g1 = gamma(1 + 1 / d.shape);
      const g2 = gamma(1 + 2 / d.shape);
      return d.scale * d.scale * Math.max(0, g2 - g1 * g1);
    }
    case 'bimodal': {
      const ms = distMean(d.slow);
      const mf = distMean(d.fast);
      const m = d.p * ms + (1 - d.p) * mf;
      const vs = distVariance(d.slow);
      const vf = distVariance(d.fast);
      // Zero-weight branches must not turn an infinite variance into NaN (0·∞).
      const slowPart = d.p === 0 ? 0 : d.p * (vs + (ms - m) * (ms - m));
      const fastPart = d.p === 1 ? 0 : (1 - d.p) * (vf + (mf - m) * (mf - m));
      return slowPart + fastPart;
    }
    case 'empirical': {
      const m = distMean(d);
      let v = 0;
      for (const x of d.samples) v += (x - m) * (x - m);
      return v / d.samples.length; // the population variance: the sampler draws from the samples
    }
    default:
      return assertNever(d);
  }
}

/** E[X²] (what Pollaczek–Khinchine needs); Infinity where it does not exist. */
export function distSecondMoment(d: Dist): number {
  const m = distMean(d);
  return distVariance(d) + m * m;
}

/* ------------------------------------------------------------------------------------------
 * CDFs and quantiles.
 * ---------------------------------------------------------------------------------------- */

/** A CDF closure with any preprocessing (sorting empirical samples) done once. */
function makeCdf(d: Dist): (x: number) => number {
  switch (d.dist) {
    case 'det': {
      const v = d.value;
      return (x) => (x < v ? 0 : 1);
    }
    case 'exp': {
      const m = d.mean;
      return (x) => (x <= 0 ? (m === 0 && x === 0 ? 1 : 0) : -dexpm1(-x / m));
    }
    case 'uniform': {
      const a = d.min;
      const b = d.max;
      return (x) => (x < a ? 0 : x >= b ? 1 : (x - a) / (b - a));
    }
    case 'erlang': {
      const k = d.k;
      const rate = k / d.mean;
      return (x) => (x < 0 ? 0 : d.mean === 0 ? 1 : gammaP(k, rate * x));
    }
    case 'hyperexp': {
      const p = d.p;
      const means = d.means;
      let total = 0;
      for (const x of p) total += x;
      return (x) => {
        if (x < 0) return 0;
        let f = 0;
        for (let i = 0; i < p.length; i++)
          f += (p[i] / total) * (means[i] === 0 ? 1 : -dexpm1(-x / means[i]));
        return f;
      };
    }
    case 'lognormal': {
      const { mu, sigma } = lognormalParams(d);
      return (x) => {
        if (x <= 0) return 0;
        if (sigma === 0) return x < d.median ? 0 : 1;
        return normalCdf((dlog(x) - mu) / sigma);
      };
    }
    case 'pareto': {
      const { alpha, min } = d;
      return (x) => (x <= min ? 0 : -dexpm1(alpha * dlog(min / x)));
    }
    case 'weibull': {
      const { shape, scale } = d;
      return (x) => (x <= 0 ? 0 : scale === 0 ? 1 : -dexpm1(-dpow(x / scale, shape)));
    }
    case 'bimodal': {
      const p = d.p;
      const fast = makeCdf(d.fast);
      const slow = makeCdf(d.slow);
      return (x) => p * slow(x) + (1 - p) * fast(x);
    }
    case 'empirical': {
      const xs = Float64Array.from(d.samples).sort();
      const n = xs.length;
      return (x) => {
        // Number of samples ≤ x (upper bound by binary search).
        let lo = 0;
        let hi = n;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (xs[mid] <= x) lo = mid + 1;
          else hi = mid;
        }
        return lo / n;
      };
    }
    default:
      return assertNever(d);
  }
}

/** P(X ≤ x). */
export function distCdf(d: Dist, x: number): number {
  check(d);
  return makeCdf(d)(x);
}

/** The infimum and supremum of the support. */
function support(d: Dist): [number, number] {
  switch (d.dist) {
    case 'det':
      return [d.value, d.value];
    case 'uniform':
      return [d.min, d.max];
    case 'pareto':
      return [d.min, Infinity];
    case 'empirical': {
      let lo = Infinity;
      let hi = -Infinity;
      for (const x of d.samples) {
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      return [lo, hi];
    }
    case 'bimodal': {
      const [fl, fh] = support(d.fast);
      const [sl, sh] = support(d.slow);
      if (d.p === 0) return [fl, fh];
      if (d.p === 1) return [sl, sh];
      return [Math.min(fl, sl), Math.max(fh, sh)];
    }
    case 'exp':
      return [0, d.mean === 0 ? 0 : Infinity];
    case 'erlang':
      return [0, d.mean === 0 ? 0 : Infinity];
    case 'hyperexp':
    case 'lognormal':
    case 'weibull':
      return [0, Infinity];
    default:
      return assertNever(d);
  }
}

/**
 * The q-quantile inf{x : F(x) ≥ q}: closed form where one exists; for erlang, hyperexp and
 * bimodal by bisection on the CDF (to ~1 ulp); for empirical the nearest-rank order statistic.
 * q ≤ 0 gives the support's infimum, q ≥ 1 its supremum (Infinity for unbounded ones).
 */
export function distQuantile(d: Dist, q: number): number {
  check(d);
  if (Number.isNaN(q)) return NaN;
  const [lo, hi] = support(d);
  if (q <= 0) return lo;
  if (q >= 1) return hi;
  switch (d.dist) {
    case 'det':
      return d.value;
    case 'exp':
      return -d.mean * dlog1p(-q);
    case 'uniform':
      return d.min + q * (d.max - d.min);
    case 'lognormal': {
      const { mu, sigma } = lognormalParams(d);
      return dexp(mu + sigma * normalQuantile(q));
    }
    case 'pareto':
      return d.min * dexp(-dlog1p(-q) / d.alpha);
    case 'weibull':
      return d.scale * dpow(-dlog1p(-q), 1 / d.shape);
    case 'empirical': {
      const xs = Float64Array.from(d.samples).sort();
      const n = xs.length;
      // Nearest rank: the smallest i with (i + 1)/n ≥ q. The tiny slack absorbs q·n rounding up
      // past an integer (ranks are integers, so it never skips a real rank).
      const rank = Math.max(1, Math.ceil(q * n * (1 - 1e-12)));
      return xs[Math.min(n, rank) - 1];
    }
    case 'erlang':
    case 'hyperexp':
    case 'bimodal':
      return bisectQuantile(makeCdf(d), q, lo, hi);
    default:
      return assertNever(d);
  }
}

/** inf{x ∈ [lo, hi] : cdf(x) ≥ q} for a non-decreasing cdf, by bisection. */
function bisectQuantile(cdf: (x: number) => number, q: number, lo: number, hi: number): number {
  if (cdf(lo) >= q) return lo;
  if (hi === Infinity) {
    hi = lo > 0 ? 2 * lo : 1;
    while (cdf(hi) < q) {
      lo = hi;
      hi *= 2;
      if (hi === Infinity) return Infinity;
    }
  }
  // Invariant: cdf(lo) < q ≤ cdf(hi).
  for (let i = 0; i < 2200; i++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (cdf(mid) >= q) hi = mid;
    else lo = mid;
  }
  return hi;
}

/* ------------------------------------------------------------------------------------------
 * Special functions (exported for stats.ts and analysis).
 * ---------------------------------------------------------------------------------------- */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7
];
const LN_SQRT_2PI = 0.9189385332046728;

/** ln Γ(x) for x > 0 (Lanczos, g = 7; relative error ~1e-15). */
export function lnGamma(x: number): number {
  if (x < 0.5) {
    // Reflection: Γ(x)Γ(1 − x) = π / sin(πx).
    return dlog(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  }
  x -= 1;
  let a = LANCZOS[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (x + i);
  return LN_SQRT_2PI + (x + 0.5) * dlog(t) - t + dlog(a);
}

/** Γ(x) for x > 0. */
export function gamma(x: number): number {
  if (Number.isInteger(x) && x >= 1 && x <= 21) {
    let f = 1;
    for (let i = 2; i < x; i++) f *= i;
    return f;
  }
  return dexp(lnGamma(x));
}

/** Regularised lower incomplete gamma P(a, x) = γ(a, x)/Γ(a), a > 0, x ≥ 0. */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** Regularised upper incomplete gamma Q(a, x) = 1 − P(a, x), accurate in the upper tail. */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

/** P(a, x) by its power series; converges for x < a + 1 in O(√a) terms near x ≈ a. */
function gammaSeries(a: number, x: number): number {
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let n = 0; n < 100_000; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * 1e-16) break;
  }
  return sum * dexp(-x + a * dlog(x) - lnGamma(a));
}

/** Q(a, x) by its continued fraction (modified Lentz); for x ≥ a + 1. */
function gammaContinuedFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 3e-16) break;
  }
  return dexp(-x + a * dlog(x) - lnGamma(a)) * h;
}

/** erfc(x), with full relative accuracy in the upper tail (via Q(½, x²)). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  return x >= 0 ? gammaQ(0.5, x * x) : 2 - gammaQ(0.5, x * x);
}

/** Φ(z), the standard normal CDF; accurate relative to its value in both tails' small side. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z * Math.SQRT1_2);
}

/* Acklam's rational approximation of Φ⁻¹ (relative error < 1.15e-9 before refinement). */
const A1 = -3.969683028665376e1;
const A2 = 2.209460984245205e2;
const A3 = -2.759285104469687e2;
const A4 = 1.38357751867269e2;
const A5 = -3.066479806614716e1;
const A6 = 2.506628277459239;
const B1 = -5.447609879822406e1;
const B2 = 1.615858368580409e2;
const B3 = -1.556989798598866e2;
const B4 = 6.680131188771972e1;
const B5 = -1.328068155288572e1;
const C1 = -7.784894002430293e-3;
const C2 = -3.223964580411365e-1;
const C3 = -2.400758277161838;
const C4 = -2.549732539343734;
const C5 = 4.374664141464968;
const C6 = 2.938163982698783;
const D1 = 7.784695709041462e-3;
const D2 = 3.224671290700398e-1;
const D3 = 2.445134137142996;
const D4 = 3.754408661907416;
const P_LOW = 0.02425;
const P_HIGH = 1 - P_LOW;

/** Acklam's Φ⁻¹(p) for p ∈ (0, 1) without refinement: cheap enough for one call per draw. */
export function acklam(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * dlog(p));
    return (
      (((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6) /
      ((((D1 * q + D2) * q + D3) * q + D4) * q + 1)
    );
  }
  if (p <= P_HIGH) {
    const q = p - 0.5;
    const r = q * q;
    return (
      ((((((A1 * r + A2) * r + A3) * r + A4) * r + A5) * r + A6) * q) /
      (((((B1 * r + B2) * r + B3) * r + B4) * r + B5) * r + 1)
    );
  }
  const q = Math.sqrt(-2 * dlog1p(-p));
  return -(
    (((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6) /
    ((((D1 * q + D2) * q + D3) * q + D4) * q + 1)
  );
}

/**
 * Φ⁻¹(p): Acklam's approximation plus one Halley step on the exact CDF (|error| well below
 * 1e-9; ~1e-15 relative in practice). 0 → −∞, 1 → +∞. Solved in the lower half only, using
 * Φ⁻¹(p) = −Φ⁻¹(1 − p), because 1 − p is exact for p ≥ ½ and Φ is accurate there.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -normalQuantile(1 - p);
  if (p === 0.5) return 0;
  const x = acklam(p);
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * dexp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}
