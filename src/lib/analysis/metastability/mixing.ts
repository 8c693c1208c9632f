/**
 * Mixing time from one start: the first t with d(t) = ½‖δ_start·e^{Qt} − π‖₁ ≤ ε (ε = 1/4 by
 * default), by uniformisation: e^{Qt} = Σ_k Pois(Λt; k)·P^k with P = I + Q/Λ, one sparse
 * vector–matrix product per term.
 *
 * Time advances in chunks of Λ·Δt ≤ 400 expected jumps (the Poisson weights are computed in log
 * space and cut where less than 1e-13 of the mass remains), so the work is about Λ·t products
 * plus a few per cent. d(t) never increases, so once a chunk ends below ε the crossing is inside
 * it and is found by bisection, re-stepping from the chunk's start. A budget caps the work
 * (counted in non-zeros touched); a metastable start then reports only the bound t_mix > t.
 */
import type { Generator } from './sparse';
import { uniformisationRate } from './sparse';

export interface MixingOptions {
  /** ε (default 1/4). */
  threshold?: number;
  /** Work budget in non-zero multiplications (default 5·10⁸: about a second in Node). */
  budget?: number;
}

export interface MixingResult {
  /** First t with d(t) ≤ ε, or null when the budget ran out first. */
  time: number | null;
  /** Largest t at which d(t) > ε was seen (a lower bound on the mixing time). */
  lowerBound: number;
  /** d(t) at `lowerBound`. */
  distanceAtLowerBound: number;
  threshold: number;
  /** Sparse products used. */
  products: number;
}

/** Poisson(m) weights from kLo to kHi holding all but ~1e-13 of the mass, in log space. */
function poissonWeights(m: number): { from: number; w: Float64Array } {
  if (m === 0) return { from: 0, w: Float64Array.of(1) };
  const sd = Math.sqrt(m);
  const lo = Math.max(0, Math.floor(m - 9 * sd - 5));
  const hi = Math.ceil(m + 9 * sd + 10);
  const w = new Float64Array(hi - lo + 1);
  const lm = Math.log(m);
  let lgam = 0; // log Γ(lo + 1) by summation (lo is at most a few hundred here)
  for (let k = 2; k <= lo; k++) lgam += Math.log(k);
  let lw = -m + lo * lm - lgam;
  let max = -Infinity;
  const logs = new Float64Array(w.length);
  for (let k = lo; k <= hi; k++) {
    if (k > lo) lw += lm - Math.log(k);
    logs[k - lo] = lw;
    if (lw > max) max = lw;
  }
  let s = 0;
  for (let i = 0; i < w.length; i++) {
    w[i] = Math.exp(logs[i] - max);
    s += w[i];
  }
  for (let i = 0; i < w.length; i++) w[i] /= s;
  return { from: lo, w };
}

export function mixingTime(g: Generator, start: number, pi: Float64Array, options: MixingOptions = {}): MixingResult {
  const eps = options.threshold ?? 0.25;
  const budget = options.budget ?? 5e8;
  const n = g.n;
  const L = uniformisationRate(g);
  const nnz = g.col.length + n;
  let products = 0;
  const tv = (x: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(x[i] - pi[i]);
    return s / 2;
  };
  let x: Float64Array = new Float64Array(n);
  x[start] = 1;
  if (L === 0 || tv(x) <= eps) return { time: 0, lowerBound: 0, distanceAtLowerBound: tv(x), threshold: eps, products };

  const bufA = new Float64Array(n);
  const bufB = new Float64Array(n);
  // P = I + Q/Λ, stored once: the probability of staying and the scaled jump probabilities.
  const stay = new Float64Array(n);
  for (let i = 0; i < n; i++) stay[i] = 1 - g.out[i] / L;
  const jump = new Float64Array(g.rate.length);
  for (let k = 0; k < jump.length; k++) jump[k] = g.rate[k] / L;
  // to ← from·P
  const stepP = (from: Float64Array, to: Float64Array) => {
    const { rowStart, col } = g;
    for (let i = 0; i < n; i++) to[i] = from[i] * stay[i];
    for (let i = 0; i < n; i++) {
      const v = from[i];
      if (v === 0) continue;
      for (let k = rowStart[i]; k < rowStart[i + 1]; k++) to[col[k]] += v * jump[k];
    }
    products++;
  };
  /** from·e^{Q·dt}, as a fresh array. */
  const advance = (from: Float64Array, dt: number): Float64Array => {
    const { from: k0, w } = poissonWeights(L * dt);
    const acc = new Float64Array(n);
    let cur = bufA;
    let nxt = bufB;
    cur.set(from);
    const K = k0 + w.length;
    for (let k = 0; k < K; k++) {
      if (k >= k0) {
        const wk = w[k - k0];
        for (let i = 0; i < n; i++) acc[i] += wk * cur[i];
      }
      if (k + 1 < K) {
        stepP(cur, nxt);
        const tmp = cur;
        cur = nxt;
        nxt = tmp;
      }
    }
    return acc;
  };

  let t = 0;
  let chunk = 10 / L;
  let d = tv(x);
  while (products * nnz < budget) {
    const next = advance(x, chunk);
    const dn = tv(next);
    if (dn <= eps) {
      // Bisect inside [t, t + chunk] from x.
      let lo = 0;
      let hi = chunk;
      let xlo: Float64Array = x;
      let dlo = d;
      for (let it = 0; it < 30 && hi - lo > 1e-4 * (t + hi) && products * nnz < 2 * budget; it++) {
        const mid = (lo + hi) / 2;
        const xm = advance(xlo, mid - lo);
        const dm = tv(xm);
        if (dm <= eps) hi = mid;
        else {
          lo = mid;
          xlo = xm;
          dlo = dm;
        }
      }
      return { time: t + hi, lowerBound: t + lo, distanceAtLowerBound: dlo, threshold: eps, products };
    }
    x = next;
    d = dn;
    t += chunk;
    chunk = Math.min(chunk * 2, 400 / L);
  }
  return { time: null, lowerBound: t, distanceAtLowerBound: d, threshold: eps, products };
}
