/**
 * Output analysis: Student-t quantiles, confidence intervals over replications, and MSER-5
 * warm-up detection. Pure functions; not on the event hot path.
 */
import { lnGamma, normalQuantile } from './distributions';
import { log1p as dlog1p, log as dlog, exp as dexp, cotPi } from './detmath';

/* ------------------------------------------------------------------------------------------
 * Student t.
 * ---------------------------------------------------------------------------------------- */

/**
 * I_x(a, b), the regularised incomplete beta, given x and y = 1 − x separately so that callers
 * holding the complement exactly (the t upper tail) lose no precision. Continued fraction
 * (modified Lentz), evaluated on the side where it converges fast.
 */
export function betaReg(a: number, b: number, x: number, y: number = 1 - x): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const lnFront =
    lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * dlog(x) + b * dlog(y);
  if (x < (a + 1) / (a + b + 2)) return (dexp(lnFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (dexp(lnFront) * betaContinuedFraction(b, a, y)) / b;
}

function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    // Even step.
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    // Odd step.
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 3e-16) break;
  }
  return h;
}

/** P(T > t) for t ≥ 0 with df degrees of freedom, accurate relative to its (small) value. */
function tUpperTail(t: number, df: number): number {
  const t2 = t * t;
  // x = df/(df + t²) and 1 − x = t²/(df + t²), both without cancellation.
  return 0.5 * betaReg(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
}

/** The t density. */
function tPdf(t: number, df: number): number {
  return dexp(
    lnGamma((df + 1) / 2) -
      lnGamma(df / 2) -
      0.5 * dlog(df * Math.PI) -
      ((df + 1) / 2) * dlog1p((t * t) / df)
  );
}

/** Cornish–Fisher expansion of the t quantile around the normal one (good start for df ≥ 3). */
function cornishFisher(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z2 + 1) * z / 4;
  const g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
  const g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
  const g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/**
 * The p-quantile of Student's t with `df` > 0 degrees of freedom (df need not be an integer;
 * Infinity gives the normal quantile). Closed forms for df = 1 and 2; otherwise a Cornish–Fisher
 * start polished by Newton's method on the exact upper tail, which converges monotonically
 * because the tail is convex for t > 0. Accurate to ~1e-12 relative (tested to 1e-7 against
 * tables).
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1) || !(df > 0)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  // Solve in the upper half for the tail probability; 1 − p is exact for p ≥ ½.
  const sign = p < 0.5 ? -1 : 1;
  const tail = p < 0.5 ? p : 1 - p;
  if (df === 1) return sign * cotPi(tail); // tan(π(½ − tail)), computed deterministically
  if (df === 2) return sign * Math.sqrt(2 / (4 * tail * (1 - tail)) - 2);
  const z = -normalQuantile(tail);
  if (df > 1e6) return sign * cornishFisher(z, df);
  let t = Math.max(0, cornishFisher(z, df));
  for (let i = 0; i < 200; i++) {
    const f = tUpperTail(t, df) - tail; // decreasing in t
    const step = f / tPdf(t, df);
    let next = t + step;
    if (next < 0) next = 0; // Newton from the right can overshoot below 0; restart from 0
    if (Math.abs(next - t) <= 1e-15 * Math.max(1, Math.abs(next))) {
      t = next;
      break;
    }
    t = next;
  }
  return sign * t;
}

/* ------------------------------------------------------------------------------------------
 * Confidence intervals.
 * ---------------------------------------------------------------------------------------- */

export interface MeanCI {
  mean: number;
  ci: [number, number];
  halfWidth: number;
}

/**
 * The mean of `values` with its Student-t interval at `confidence` (e.g. 0.95). NaN entries are
 * ignored. n = 0 → all NaN; n = 1 → [mean, mean] with halfWidth 0 (no spread to estimate). An
 * infinite value makes the mean infinite and the interval [NaN, NaN].
 */
export function meanCI(values: ArrayLike<number>, confidence: number): MeanCI {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) {
      n++;
      sum += v;
    }
  }
  if (n === 0) return { mean: NaN, ci: [NaN, NaN], halfWidth: NaN };
  const mean = sum / n;
  if (n === 1) return { mean, ci: [mean, mean], halfWidth: 0 };
  // Two passes (mean, then squared deviations) to avoid E[X²] − E[X]² cancellation.
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) ss += (v - mean) * (v - mean);
  }
  const sd = Math.sqrt(ss / (n - 1));
  const halfWidth = studentTQuantile((1 + confidence) / 2, n - 1) * (sd / Math.sqrt(n));
  return { mean, ci: [mean - halfWidth, mean + halfWidth], halfWidth };
}

/* ------------------------------------------------------------------------------------------
 * MSER-5.
 * ---------------------------------------------------------------------------------------- */

/**
 * MSER-5 warm-up truncation (White 1997; White, Cobb & Spratt 2000). The series is cut into
 * k = ⌊n/5⌋ batch means Z_0..Z_{k−1} (a partial last batch is dropped); for each d in 0..⌊k/2⌋
 *   MSER(d) = Σ_{j≥d} (Z_j − Z̄_d)² / (k − d)²,
 * i.e. the variance of the remaining batch means divided by the number remaining, which trades
 * bias (a transient inflates the spread) against the precision lost by deleting data. Returns
 * 5·d* as an index into the ORIGINAL series (the first observation to keep); the smallest d wins
 * ties. d is capped at k/2, the standard guard against the statistic's spurious minima near the
 * end of the series. Returns 0 for fewer than two batches.
 */
export function mser5(series: ArrayLike<number>): number {
  const k = Math.floor(series.length / 5);
  if (k < 2) return 0;
  const z = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const o = 5 * j;
    z[j] = (series[o] + series[o + 1] + series[o + 2] + series[o + 3] + series[o + 4]) / 5;
  }
  // Welford from the end: after adding Z_{k−1} .. Z_d, `m2` is Σ_{j≥d} (Z_j − Z̄_d)².
  const dMax = Math.floor(k / 2);
  let mean = 0;
  let m2 = 0;
  let count = 0;
  let best = 0;
  let bestStat = Infinity;
  const stats = new Float64Array(dMax + 1);
  for (let j = k - 1; j >= 0; j--) {
    count++;
    const delta = z[j] - mean;
    mean += delta / count;
    m2 += delta * (z[j] - mean);
    if (j <= dMax) stats[j] = m2 / (count * count);
  }
  for (let d = 0; d <= dMax; d++) {
    if (stats[d] < bestStat) {
      bestStat = stats[d];
      best = d;
    }
  }
  return 5 * best;
}
