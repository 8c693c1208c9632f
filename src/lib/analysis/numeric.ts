/**
 * Small numerical tools shared by the formulas: a dense linear solve, root finding on
 * monotone functions, and normalising a distribution given by log-weights. No dependencies.
 */

import { PERCENTILES, PERCENTILE_LEVELS } from '../sim/results';
import type { Quantiles } from './types';

/**
 * Solves A·x = b by Gaussian elimination with partial pivoting. Returns `null` when A is
 * (numerically) singular. Neither argument is modified.
 */
export function solveLinear(A: number[][], b: number[]): number[] | null {
  const n = b.length;
  if (A.length !== n) throw new RangeError('solveLinear: A and b disagree in size');
  const m = A.map((row, i) => {
    if (row.length !== n) throw new RangeError('solveLinear: A must be square');
    return [...row, b[i]];
  });
  let scale = 0;
  for (const row of A) for (const v of row) scale = Math.max(scale, Math.abs(v));
  const tiny = (scale || 1) * 1e-13;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    if (!(Math.abs(m[pivot][col]) > tiny)) return null;
    if (pivot !== col) [m[pivot], m[col]] = [m[col], m[pivot]];
    const p = m[col][col];
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / p;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let c = r + 1; c < n; c++) s -= m[r][c] * x[c];
    x[r] = s / m[r][r];
  }
  return x;
}

/**
 * Bisection for a root of a continuous f on [lo, hi] where f(lo) and f(hi) differ in sign.
 * Runs until the bracket stops shrinking in floating point (at most 400 halvings).
 */
export function bisect(f: (x: number) => number, lo: number, hi: number): number {
  let flo = f(lo);
  const fhi = f(hi);
  if (flo === 0) return lo;
  if (fhi === 0) return hi;
  if (Math.sign(flo) === Math.sign(fhi)) throw new RangeError('bisect: the root is not bracketed');
  for (let i = 0; i < 400; i++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    const fm = f(mid);
    if (fm === 0) return mid;
    if (Math.sign(fm) === Math.sign(flo)) {
      lo = mid;
      flo = fm;
    } else {
      hi = mid;
    }
  }
  return lo + (hi - lo) / 2;
}

/**
 * The t ≥ 0 with tail(t) = p, for a non-increasing tail function with tail(∞) = 0 (a
 * complementary CDF). Returns 0 when tail(0) ≤ p. `scale` is a rough size of t to start from.
 */
export function invertTail(tail: (t: number) => number, p: number, scale: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`invertTail: expected 0 < p < 1, got ${p}`);
  if (tail(0) <= p) return 0;
  let hi = scale > 0 && Number.isFinite(scale) ? scale : 1;
  let guard = 0;
  while (tail(hi) > p) {
    hi *= 2;
    if (++guard > 2000) throw new RangeError('invertTail: the tail does not fall below p');
  }
  return bisect((t) => tail(t) - p, 0, hi);
}

/** The standard percentiles of a distribution given its quantile function. */
export function percentilesOf(quantile: (q: number) => number): Quantiles {
  const out = {} as Quantiles;
  for (const name of PERCENTILES) out[name] = quantile(PERCENTILE_LEVELS[name]);
  return out;
}

/**
 * Normalises log-weights into probabilities without overflow or underflow of the bulk
 * (subtracts the maximum before exponentiating). `extraMass` is additional mass, in the same
 * scale as exp(logW[i] − max), that belongs to states not listed (a tail summed in closed
 * form); it takes part in the normalisation.
 */
export function normaliseLogWeights(
  logW: number[],
  extraLogMass = -Infinity
): { p: number[]; extra: number } {
  let max = extraLogMass;
  for (const v of logW) if (v > max) max = v;
  const w = logW.map((v) => Math.exp(v - max));
  const extra = Math.exp(extraLogMass - max);
  const total = w.reduce((s, x) => s + x, 0) + extra;
  return { p: w.map((x) => x / total), extra: extra / total };
}

/** Σ xᵢ·yᵢ. */
export function dot(x: number[], y: number[]): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}
