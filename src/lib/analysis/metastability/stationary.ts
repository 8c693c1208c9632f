/**
 * The stationary distribution πQ = 0, Σπ = 1, by sparse iteration with a residual check.
 *
 * Methods:
 * - 'gauss-seidel' / 'sor': π_j ← (1 − ω)·π_j + ω·(Σ_{i≠j} π_i q_ij)/q_j, sweeping j in index order
 *   over the transpose (incoming rates), then normalising. ω = 1 is Gauss–Seidel.
 * - 'power': π ← π·(I + Q/Λ), the uniformised chain.
 * - 'aggregation' (the default here when levels are given): Gauss–Seidel sweeps accelerated by iterative aggregation–
 *   disaggregation (Koury–McAllister–Stewart) over a partition into levels (for the retry chain:
 *   orbit levels). Each iteration solves the small chain among the levels with the current
 *   within-level weights exactly, rescales each level to its coarse mass, then smooths with one
 *   sweep.
 *
 * Why aggregation: a metastable chain has a mode that decays at the rate of escape from the stuck
 * basin, i.e. once per expected recovery time. Gauss–Seidel or power iteration move mass between
 * the basins only at that rate, so from a poor start they "converge" (tiny change per sweep) long
 * before they are right. The stuck and drained basins sit at different orbit levels, so the
 * coarse chain over levels moves that mass in one step.
 *
 * Convergence: the residual ‖πQ‖₁/Λ (the one-step change of the uniformised chain) ≤ tolerance,
 * 1e-10 by default. The residual is reported whether or not it was reached.
 *
 * HAZARD: a small residual does not mean a right answer when the chain is metastable. On the
 * running example with queue bound 150 the aggregation stops at residual 9e-11 with the mass in
 * the wrong basin (orbit levels hold both a short and a full queue, so they do not separate the
 * basins). analyze.ts therefore defaults to `stationaryByElimination` (hitting.ts), which is exact
 * to rounding; these methods are for chains without metastability and for cross-checks.
 */
import { stationaryResidual, transpose, uniformisationRate, type Generator } from './sparse';

export type StationaryMethod = 'aggregation' | 'gauss-seidel' | 'sor' | 'power';

export interface StationaryOptions {
  method?: StationaryMethod;
  /** Residual ‖πQ‖₁/Λ to reach (default 1e-10). */
  tolerance?: number;
  maxIterations?: number;
  /** Relaxation for 'sor' (default 1.2; must be in (0, 2)). */
  omega?: number;
  /** For 'aggregation': the level of each state (levels 0..count−1). Required for that method. */
  levels?: { of: Int32Array; count: number };
  /** Starting vector (default uniform). */
  initial?: Float64Array;
}

export interface StationaryResult {
  pi: Float64Array;
  iterations: number;
  residual: number;
  converged: boolean;
  method: StationaryMethod;
}

function normalise(x: Float64Array): void {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  if (s > 0) for (let i = 0; i < x.length; i++) x[i] /= s;
}

/**
 * The stationary distribution of a small chain among levels, exactly and without subtraction:
 * the birth–death product formula when only neighbouring levels exchange mass, else dense GTH
 * (Grassmann–Taksar–Heyman) elimination.
 */
export function coarseStationary(count: number, rates: (from: number, to: number) => number, birthDeath: boolean): Float64Array {
  const xi = new Float64Array(count);
  if (birthDeath) {
    // log ξ_{K+1} = log ξ_K + log(up_K) − log(down_{K+1}); a level no mass can reach gets 0.
    const lg = new Float64Array(count);
    let max = 0;
    for (let K = 0; K + 1 < count; K++) {
      const up = rates(K, K + 1);
      const down = rates(K + 1, K);
      lg[K + 1] = up > 0 && down > 0 ? lg[K] + Math.log(up) - Math.log(down) : up > 0 ? Infinity : -Infinity;
      if (lg[K + 1] > max) max = lg[K + 1];
    }
    if (max === Infinity) {
      // Some level cannot be left downwards: all mass above it (handled by the general method).
      return coarseStationary(count, rates, false);
    }
    for (let K = 0; K < count; K++) xi[K] = Math.exp(lg[K] - max);
    normalise(xi);
    return xi;
  }
  return gthStationary(count, rates);
}

/** GTH elimination for the stationary vector of a dense chain (count² memory; small chains only). */
export function gthStationary(count: number, rates: (from: number, to: number) => number): Float64Array {
  const n = count;
  const P = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) P[i * n + j] = rates(i, j);
  for (let k = n - 1; k > 0; k--) {
    let s = 0;
    for (let j = 0; j < k; j++) s += P[k * n + j];
    if (!(s > 0)) continue; // k cannot reach lower states: contributes through back-substitution only
    for (let i = 0; i < k; i++) {
      const f = P[i * n + k] / s;
      if (f === 0) continue;
      for (let j = 0; j < k; j++) if (j !== i) P[i * n + j] += f * P[k * n + j];
    }
  }
  const x = new Float64Array(n);
  x[0] = 1;
  for (let k = 1; k < n; k++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += P[k * n + j];
    let a = 0;
    for (let i = 0; i < k; i++) a += x[i] * P[i * n + k];
    x[k] = s > 0 ? a / s : 0;
  }
  normalise(x);
  return x;
}

export function stationaryDistribution(g: Generator, options: StationaryOptions = {}): StationaryResult {
  const method = options.method ?? (options.levels ? 'aggregation' : 'gauss-seidel');
  const tol = options.tolerance ?? 1e-10;
  const maxIt = options.maxIterations ?? (method === 'power' ? 1_000_000 : 100_000);
  const omega = method === 'sor' ? (options.omega ?? 1.2) : 1;
  if (!(omega > 0 && omega < 2)) throw new RangeError(`stationaryDistribution: ω must be in (0, 2), got ${omega}`);
  if (method === 'aggregation' && !options.levels) throw new RangeError('stationaryDistribution: aggregation needs levels');
  const n = g.n;
  const pi = options.initial ? Float64Array.from(options.initial) : new Float64Array(n).fill(1 / n);
  normalise(pi);
  const scratch = new Float64Array(n);
  const L = uniformisationRate(g);
  if (n === 1 || L === 0) return { pi, iterations: 0, residual: 0, converged: true, method };

  if (method === 'power') {
    let it = 0;
    let residual = Infinity;
    while (it < maxIt) {
      // π ← π + πQ/Λ, checking the residual (which is ‖πQ‖/Λ itself) every step it is computed.
      const { rowStart, col, rate, out } = g;
      for (let i = 0; i < n; i++) scratch[i] = -pi[i] * out[i];
      for (let i = 0; i < n; i++) {
        const x = pi[i];
        if (x === 0) continue;
        for (let k = rowStart[i]; k < rowStart[i + 1]; k++) scratch[col[k]] += x * rate[k];
      }
      let s = 0;
      for (let i = 0; i < n; i++) {
        s += Math.abs(scratch[i]);
        pi[i] += scratch[i] / L;
      }
      it++;
      residual = s / L;
      if (residual <= tol) break;
    }
    normalise(pi);
    residual = stationaryResidual(g, pi, scratch);
    return { pi, iterations: it, residual, converged: residual <= tol, method };
  }

  const t = transpose(g);
  const sweep = () => {
    const { rowStart, col, rate, out } = t;
    for (let j = 0; j < n; j++) {
      if (!(out[j] > 0)) continue;
      let s = 0;
      for (let k = rowStart[j]; k < rowStart[j + 1]; k++) s += pi[col[k]] * rate[k];
      pi[j] = omega === 1 ? s / out[j] : (1 - omega) * pi[j] + (omega * s) / out[j];
    }
    normalise(pi);
  };

  let aggregate: (() => void) | null = null;
  if (method === 'aggregation') {
    const { of, count } = options.levels!;
    const mass = new Float64Array(count);
    const size = new Float64Array(count);
    for (let i = 0; i < n; i++) size[of[i]]++;
    const up = new Float64Array(count);
    const down = new Float64Array(count);
    let birthDeath = true;
    for (let i = 0; i < n && birthDeath; i++) {
      for (let k = g.rowStart[i]; k < g.rowStart[i + 1]; k++) if (Math.abs(of[g.col[k]] - of[i]) > 1) birthDeath = false;
    }
    if (!birthDeath && count > 2000) throw new RangeError('stationaryDistribution: more than 2,000 levels that are not birth–death');
    const dense = birthDeath ? null : new Float64Array(count * count);
    aggregate = () => {
      mass.fill(0);
      for (let i = 0; i < n; i++) mass[of[i]] += pi[i];
      up.fill(0);
      down.fill(0);
      dense?.fill(0);
      for (let i = 0; i < n; i++) {
        const K = of[i];
        const w = mass[K] > 0 ? pi[i] / mass[K] : 1 / size[K];
        if (w === 0) continue;
        for (let k = g.rowStart[i]; k < g.rowStart[i + 1]; k++) {
          const Lv = of[g.col[k]];
          if (Lv === K) continue;
          const r = w * g.rate[k];
          if (dense) dense[K * count + Lv] += r;
          else if (Lv === K + 1) up[K] += r;
          else down[K] += r;
        }
      }
      const xi = coarseStationary(
        count,
        dense ? (a, b) => dense[a * count + b] : (a, b) => (b === a + 1 ? up[a] : b === a - 1 ? down[a] : 0),
        !dense
      );
      for (let i = 0; i < n; i++) {
        const K = of[i];
        pi[i] = mass[K] > 0 ? (pi[i] / mass[K]) * xi[K] : xi[K] / size[K];
      }
    };
  }

  let it = 0;
  let residual = Infinity;
  while (it < maxIt) {
    aggregate?.();
    sweep();
    it++;
    // The residual costs a multiply; check it every iteration with aggregation (few iterations),
    // every 10th sweep otherwise.
    if (aggregate || it % 10 === 0) {
      residual = stationaryResidual(g, pi, scratch);
      if (residual <= tol) break;
    }
  }
  residual = stationaryResidual(g, pi, scratch);
  return { pi, iterations: it, residual, converged: residual <= tol, method };
}
