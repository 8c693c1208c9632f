/**
 * Expected hitting times of a target set: m_i = E_i[time until the chain enters the target],
 * the linear system restricted to the non-target states, q_i·m_i − Σ_{j∉A} q_ij·m_j = r_i with the
 * reward r = 1 (time); other rewards give other expected integrals (time spent at the orbit bound).
 *
 * Methods:
 * - 'elimination' (default): banded Gaussian elimination in GTH form (Grassmann–Taksar–Heyman):
 *   eliminating state k adds q_ik·q_kj/s_k to q_ij, q_ik·leak_k/s_k to i's rate into the target,
 *   and the pivot s_i is recomputed as the sum of i's remaining rates, never as a difference. No
 *   step subtracts, so every m_i keeps its relative accuracy even when the system is as badly
 *   conditioned as a metastable chain makes it (expected recovery times of 10³⁰ s are computed to
 *   full precision, where ordinary LU — or an iteration stopped by its residual — returns noise).
 *   Cost n·b² for band half-width b (N + 2 for the retry chain); memory n·b for the upper band.
 * - 'gauss-seidel': m_i ← (r_i + Σ_j q_ij·m_j)/q_i, sweeping in index order from m = 0; the
 *   iterates increase monotonically to the answer. Converged when the largest relative change of
 *   a sweep is ≤ the tolerance. Fine for well-conditioned targets; it cannot reach the answer of a
 *   metastable one in any reasonable number of sweeps (its error decays once per recovery time).
 */
import { bandwidth, type Generator } from './sparse';

export type HittingMethod = 'elimination' | 'gauss-seidel';

export interface HittingOptions {
  method?: HittingMethod;
  /** Rewards per unit time, one vector each (default: one vector of ones, i.e. time). */
  rewards?: Float64Array[];
  /** 'gauss-seidel': relative change per sweep to stop at (default 1e-12) and the sweep limit. */
  tolerance?: number;
  maxIterations?: number;
}

export interface HittingResult {
  /** values[r][i]: expected reward r accumulated from state i until the target (0 on the target). */
  values: Float64Array[];
  method: HittingMethod;
  iterations: number;
  converged: boolean;
}

export function hittingTimes(g: Generator, target: Uint8Array, options: HittingOptions = {}): HittingResult {
  const method = options.method ?? 'elimination';
  const rewards = options.rewards ?? [new Float64Array(g.n).fill(1)];
  return method === 'elimination' ? eliminate(g, target, rewards) : gaussSeidel(g, target, rewards, options);
}

/**
 * Banded elimination in increasing index order, GTH form. Rows in the window (k, k+b] keep their
 * lower part (columns not yet eliminated) and upper part in ring buffers of b + 1 rows. What the
 * back-substitution needs is saved as k is eliminated: for hitting times row k's upper part, for
 * the stationary vector column k (the rates into k from the rows below it).
 */
export function bandEliminate(
  g: Generator,
  mode: 'hitting' | 'stationary',
  target: Uint8Array,
  rhs: Float64Array[]
): { pivot: Float64Array; saved: Float64Array; b: number; leak: Float64Array } {
  const n = g.n;
  const b = Math.max(1, bandwidth(g));
  const ring = b + 1;
  const up = new Float64Array(ring * b);
  const lo = new Float64Array(ring * b);
  const saved = new Float64Array(n * b);
  const leak = new Float64Array(n);
  const pivot = new Float64Array(n);
  const { rowStart, col, rate } = g;
  const loadRow = (i: number) => {
    const base = (i % ring) * b;
    up.fill(0, base, base + b);
    lo.fill(0, base, base + b);
    if (target[i]) return;
    for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
      const j = col[k];
      if (target[j]) leak[i] += rate[k];
      else if (j > i) up[base + (j - i - 1)] += rate[k];
      else lo[base + (j - i + b)] += rate[k];
    }
  };
  for (let i = 0; i < Math.min(n, ring); i++) loadRow(i);
  const nr = rhs.length;
  for (let k = 0; k < n; k++) {
    // Row k + b enters the window in the ring slot row k − 1 has left.
    if (k > 0 && k + b < n) loadRow(k + b);
    if (target[k]) continue;
    const uk = (k % ring) * b;
    let s = leak[k];
    let last = 0; // 1 + the last non-zero offset of row k's upper part
    let first = b; // the first non-zero offset
    for (let d = 0; d < b; d++) {
      const v = up[uk + d];
      if (v !== 0) {
        s += v;
        last = d + 1;
        if (first === b) first = d;
      }
    }
    pivot[k] = s;
    if (mode === 'hitting') saved.set(up.subarray(uk, uk + b), k * b);
    const top = Math.min(n - 1, k + b);
    for (let i = k + 1; i <= top; i++) {
      if (target[i]) continue;
      const base = (i % ring) * b;
      const lik = lo[base + (k - i + b)];
      if (mode === 'stationary') saved[k * b + (i - k - 1)] = lik;
      if (lik === 0) continue;
      lo[base + (k - i + b)] = 0;
      if (!(s > 0)) {
        // k has no way forward: nothing that reaches it can reach the target.
        leak[i] = NaN;
        continue;
      }
      const f = lik / s;
      // Row k's entries to j = k+1+d: below i into i's lower part, above i into its upper part.
      // (The lower part is stored by column − (i − b), so both loops run forwards.)
      // (No zero tests inside: after the first few levels the band is full, and a branch costs more
      // than a multiply by zero.)
      const split = Math.min(last, i - k - 1);
      const loOff = base + k + 1 - i + b;
      for (let d = first; d < split; d++) lo[loOff + d] += f * up[uk + d];
      const upOff = base + k - i;
      for (let d = Math.max(first, i - k); d < last; d++) up[upOff + d] += f * up[uk + d];
      leak[i] += f * leak[k];
      for (let x = 0; x < nr; x++) rhs[x][i] += f * rhs[x][k];
    }
  }
  return { pivot, saved, b, leak };
}

function eliminate(g: Generator, target: Uint8Array, rewards: Float64Array[]): HittingResult {
  const n = g.n;
  const r = rewards.map((x) => Float64Array.from(x));
  const { pivot, saved, b, leak } = bandEliminate(g, 'hitting', target, r);
  const values = r.map(() => new Float64Array(n));
  for (let k = n - 1; k >= 0; k--) {
    if (target[k]) continue;
    const s = pivot[k];
    const uk = k * b;
    const top = Math.min(b, n - 1 - k);
    for (let x = 0; x < r.length; x++) {
      const m = values[x];
      if (!(s > 0) || Number.isNaN(leak[k])) {
        m[k] = Infinity;
        continue;
      }
      let a = r[x][k];
      for (let d = 0; d < top; d++) {
        const v = saved[uk + d];
        if (v !== 0) a += v * m[k + 1 + d];
      }
      m[k] = a / s;
    }
  }
  return { values, method: 'elimination', iterations: 1, converged: true };
}

/**
 * The stationary vector by the same banded GTH elimination (no subtraction, so the weights of
 * basins that differ by 10³⁰ are right): π_{n−1} = 1, then π_k = Σ_{i>k} π_i·q̃_ik / s_k, where q̃_ik
 * and s_k are the reduced rates and pivot when k was eliminated. The chain must be irreducible.
 */
export function stationaryByElimination(g: Generator): Float64Array {
  const n = g.n;
  const none = new Uint8Array(n);
  const { pivot, saved, b } = bandEliminate(g, 'stationary', none, []);
  const pi = new Float64Array(n);
  pi[n - 1] = 1;
  for (let k = n - 2; k >= 0; k--) {
    const s = pivot[k];
    if (!(s > 0)) throw new RangeError(`stationaryByElimination: state ${k} cannot reach the states after it; the chain is not irreducible`);
    const top = Math.min(b, n - 1 - k);
    const sum = () => {
      let a = 0;
      for (let d = 0; d < top; d++) {
        const v = saved[k * b + d];
        if (v !== 0) a += pi[k + 1 + d] * v;
      }
      return a / s;
    };
    let x = sum();
    if (x > 1e200) {
      // Probabilities can span more than the float range: rescale what is done so far.
      for (let i = k + 1; i < n; i++) pi[i] *= 1e-200;
      x = sum();
    }
    pi[k] = x;
  }
  // Rescale in two steps so a vector spanning more than the float range still normalises.
  let max = 0;
  for (let i = 0; i < n; i++) if (pi[i] > max) max = pi[i];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    pi[i] /= max;
    sum += pi[i];
  }
  for (let i = 0; i < n; i++) pi[i] /= sum;
  return pi;
}

function gaussSeidel(g: Generator, target: Uint8Array, rewards: Float64Array[], options: HittingOptions): HittingResult {
  const tol = options.tolerance ?? 1e-12;
  const maxIt = options.maxIterations ?? 100_000;
  const { n, rowStart, col, rate, out } = g;
  const values = rewards.map(() => new Float64Array(n));
  let it = 0;
  let converged = false;
  while (it < maxIt && !converged) {
    let change = 0;
    for (let x = 0; x < rewards.length; x++) {
      const m = values[x];
      const rw = rewards[x];
      for (let i = 0; i < n; i++) {
        if (target[i]) continue;
        if (!(out[i] > 0)) {
          m[i] = Infinity;
          continue;
        }
        let a = rw[i];
        for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
          const j = col[k];
          if (!target[j]) a += rate[k] * m[j];
        }
        const v = a / out[i];
        const d = Math.abs(v - m[i]) / Math.max(Math.abs(v), 1e-300);
        if (d > change) change = d;
        m[i] = v;
      }
    }
    it++;
    converged = change <= tol;
  }
  return { values, method: 'gauss-seidel', iterations: it, converged };
}
