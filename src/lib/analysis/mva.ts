/**
 * Exact mean value analysis (MVA) of closed product-form networks (Reiser & Lavenberg).
 *
 * Station types:
 *  - 'queue': one server, FCFS with exponential service (one rate for every class) or PS with
 *    any service distribution: residence R = D·(1 + Q(n − e_r)) (arrival theorem);
 *  - 'delay': infinite servers (think time, links, M/G/∞): R = D;
 *  - 'ld': load-dependent, service rate α(j)/S with j present (α(j) = min(j, c) for c
 *    servers); needs the marginal queue-length probabilities p(j | n):
 *      R_r(n) = Σ_{j=1}^{|n|} j·D_r/α(j) · p(j − 1 | n − e_r),
 *      p(j | n) = Σ_r D_r/α(j) · X_r(n) · p(j − 1 | n − e_r),   p(0 | n) = 1 − Σ_{j≥1} p(j | n).
 * D = visits × mean service time per visit (the demand per cycle).
 *
 * HAZARD: p(0 | n) is a difference and loses relative precision when it is tiny (a saturated
 * multi-server station at large populations); it is clamped at 0. Populations are modest here.
 */

export type MvaStation =
  | { type: 'queue'; visits: number; service: number }
  | { type: 'delay'; visits: number; service: number }
  | {
      type: 'ld';
      visits: number;
      /** Mean service time of one request at rate multiplier 1. */
      service: number;
      /** c for a c-server station: α(j) = min(j, c). */
      servers?: number;
      /** Rate multiplier α(j) ≥ 0 with j present, j ≥ 1 (overrides `servers`). */
      alpha?: (j: number) => number;
    };

export interface MvaStationResult {
  /** Requests per second through the station (X·visits). */
  throughput: number;
  /** Busy servers on average, X·D (for a delay station: the mean number present). */
  busy: number;
  /** Residence time per cycle (all visits of one request), R. */
  residence: number;
  /** Mean time per visit, R / visits. */
  response: number;
  /** Mean number present. */
  queueLength: number;
  /** Load-dependent stations: p(j | N), j = 0..N. */
  marginal?: number[];
}

export interface MvaResult {
  /** Cycles per second = the client's throughput. */
  throughput: number;
  /** Σ residence times: the time from sending a request to its completion (think excluded). */
  response: number;
  /** response + think time. */
  cycleTime: number;
  stations: MvaStationResult[];
  /** X(n) for n = 0..N. */
  throughputByPopulation: number[];
}

function alphaOf(s: MvaStation): ((j: number) => number) | undefined {
  if (s.type !== 'ld') return undefined;
  if (s.alpha) return s.alpha;
  const c = s.servers;
  if (c === undefined || !(c >= 1)) throw new RangeError('mva: a load-dependent station needs servers ≥ 1 or alpha');
  return (j) => Math.min(j, c);
}

function checkPopulation(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a whole number ≥ 0, got ${n}`);
}

function checkStation(s: { visits: number; service: number }): void {
  if (!(s.visits >= 0) || !Number.isFinite(s.visits)) throw new RangeError(`visits must be ≥ 0, got ${s.visits}`);
  if (!(s.service >= 0) || !Number.isFinite(s.service)) throw new RangeError(`service must be ≥ 0, got ${s.service}`);
}

/**
 * Exact single-class MVA over 'queue' and 'delay' stations (no load dependence), with a think
 * time Z (a delay that is not counted in `response`).
 */
export function mvaSingle(input: { stations: MvaStation[]; population: number; thinkTime: number }): MvaResult {
  const { stations, population: N, thinkTime: Z } = input;
  checkPopulation(N, 'population');
  if (!(Z >= 0)) throw new RangeError(`think time must be ≥ 0, got ${Z}`);
  stations.forEach(checkStation);
  if (stations.some((s) => s.type === 'ld')) throw new RangeError('mvaSingle: use mvaLoadDependent for ld stations');
  const D = stations.map((s) => s.visits * s.service);
  const Q = stations.map(() => 0);
  const R = stations.map(() => 0);
  let X = 0;
  const byPop = [0];
  for (let n = 1; n <= N; n++) {
    for (let i = 0; i < stations.length; i++) R[i] = stations[i].type === 'queue' ? D[i] * (1 + Q[i]) : D[i];
    const total = Z + R.reduce((s, x) => s + x, 0);
    X = total > 0 ? n / total : Infinity;
    for (let i = 0; i < stations.length; i++) Q[i] = X * R[i];
    byPop.push(X);
  }
  return finish(stations, D, R, Q, X, Z, byPop);
}

function finish(
  stations: MvaStation[],
  D: number[],
  R: number[],
  Q: number[],
  X: number,
  Z: number,
  byPop: number[],
  marginals?: (number[] | undefined)[]
): MvaResult {
  const response = R.reduce((s, x) => s + x, 0);
  return {
    throughput: X,
    response,
    cycleTime: response + Z,
    throughputByPopulation: byPop,
    stations: stations.map((s, i) => ({
      throughput: X * s.visits,
      busy: X * D[i],
      residence: R[i],
      response: s.visits > 0 ? R[i] / s.visits : 0,
      queueLength: Q[i],
      ...(marginals?.[i] ? { marginal: marginals[i] } : {})
    }))
  };
}

/**
 * Exact single-class MVA with load-dependent stations ('ld') besides 'queue' and 'delay'.
 * Returns the marginal p(j | N) of each load-dependent station.
 */
export function mvaLoadDependent(input: {
  stations: MvaStation[];
  population: number;
  thinkTime: number;
}): MvaResult {
  const { stations, population: N, thinkTime: Z } = input;
  checkPopulation(N, 'population');
  if (!(Z >= 0)) throw new RangeError(`think time must be ≥ 0, got ${Z}`);
  stations.forEach(checkStation);
  const alphas = stations.map(alphaOf);
  const D = stations.map((s) => s.visits * s.service);
  const Q = stations.map(() => 0);
  const R = stations.map(() => 0);
  let p: (number[] | undefined)[] = stations.map((s) => (s.type === 'ld' ? [1] : undefined));
  let X = 0;
  const byPop = [0];
  for (let n = 1; n <= N; n++) {
    for (let i = 0; i < stations.length; i++) {
      const s = stations[i];
      if (s.type === 'queue') R[i] = D[i] * (1 + Q[i]);
      else if (s.type === 'delay') R[i] = D[i];
      else {
        const a = alphas[i]!;
        const prev = p[i]!;
        let r = 0;
        for (let j = 1; j <= n; j++) r += ((j * D[i]) / a(j)) * prev[j - 1];
        R[i] = r;
      }
    }
    const total = Z + R.reduce((s, x) => s + x, 0);
    X = total > 0 ? n / total : Infinity;
    for (let i = 0; i < stations.length; i++) Q[i] = X * R[i];
    p = p.map((prev, i) => {
      if (!prev) return undefined;
      const a = alphas[i]!;
      const next = new Array<number>(n + 1).fill(0);
      let sum = 0;
      for (let j = 1; j <= n; j++) {
        next[j] = ((D[i] / a(j)) * X * prev[j - 1]);
        sum += next[j];
      }
      next[0] = Math.max(0, 1 - sum);
      return next;
    });
    byPop.push(X);
  }
  return finish(stations, D, R, Q, X, Z, byPop, p);
}

/* ------------------------------------------------------------------------------------------
 * Multiple classes (closed chains).
 * ---------------------------------------------------------------------------------------- */

export type MvaMultiStation =
  | { type: 'queue'; demands: number[] }
  | { type: 'delay'; demands: number[] }
  | { type: 'ld'; demands: number[]; servers?: number; alpha?: (j: number) => number };

export interface MvaMultiStationResult {
  /** Residence time per cycle of each class, R_r. */
  residence: number[];
  /** Mean number of each class present, Q_r = X_r·R_r. */
  queueLength: number[];
  /** Σ_r X_r·D_r: busy servers on average (delay: number present). */
  busy: number;
  /** Load-dependent stations: p(j | N), j = 0..|N|. */
  marginal?: number[];
}

export interface MvaMultiResult {
  /** Cycles per second of each class. */
  throughput: number[];
  /** Σ_i R_ir per class (think excluded). */
  response: number[];
  stations: MvaMultiStationResult[];
}

/** Largest number of population vectors Π(N_r + 1) the exact recursion accepts. */
export const MAX_MVA_STATES = 500_000;

/**
 * Exact multi-class MVA by recursion over all population vectors 0 ≤ n ≤ N (mixed-radix order,
 * so n − e_r always precedes n). Queue, delay and load-dependent stations; `thinkTime[r]` is a
 * per-class delay not counted in `response`.
 */
export function mvaMulti(input: {
  stations: MvaMultiStation[];
  population: number[];
  thinkTime: number[];
}): MvaMultiResult {
  const { stations, population: N, thinkTime: Z } = input;
  const C = N.length;
  if (Z.length !== C) throw new RangeError('mvaMulti: one think time per class');
  N.forEach((n) => checkPopulation(n, 'population'));
  for (const s of stations) {
    if (s.demands.length !== C) throw new RangeError('mvaMulti: one demand per class at every station');
    for (const d of s.demands) if (!(d >= 0) || !Number.isFinite(d)) throw new RangeError(`demand must be ≥ 0, got ${d}`);
  }
  const stride: number[] = [];
  let total = 1;
  for (let r = 0; r < C; r++) {
    stride.push(total);
    total *= N[r] + 1;
  }
  if (total > MAX_MVA_STATES) {
    throw new RangeError(`mvaMulti: ${total} population vectors exceed the limit of ${MAX_MVA_STATES}`);
  }
  const Ntot = N.reduce((s, x) => s + x, 0);
  const alphas = stations.map((s) =>
    s.type === 'ld' ? alphaOf({ type: 'ld', visits: 1, service: 1, servers: s.servers, alpha: s.alpha }) : undefined
  );
  const ldCount = stations.filter((s) => s.type === 'ld').length;
  if (ldCount * total * (Ntot + 1) > 50_000_000) {
    throw new RangeError('mvaMulti: too many load-dependent states for the exact recursion');
  }
  const Q = stations.map(() => new Float64Array(total));
  // Marginals of ld stations: flat storage, state idx at offset[idx], length |n| + 1.
  const offset = new Int32Array(total);
  const sizeOf = new Int32Array(total);
  let margTotal = 0;
  {
    const n = new Array<number>(C).fill(0);
    for (let idx = 0; idx < total; idx++) {
      if (idx > 0) increment(n, N);
      const size = n.reduce((s, x) => s + x, 0);
      sizeOf[idx] = size;
      offset[idx] = margTotal;
      margTotal += size + 1;
    }
  }
  const marg = stations.map((s) => (s.type === 'ld' ? new Float64Array(margTotal) : undefined));
  for (const m of marg) if (m) m[0] = 1; // p(0 | 0) = 1

  const n = new Array<number>(C).fill(0);
  const X = new Array<number>(C).fill(0);
  const R = stations.map(() => new Array<number>(C).fill(0));
  for (let idx = 1; idx < total; idx++) {
    increment(n, N);
    const size = sizeOf[idx];
    for (let r = 0; r < C; r++) {
      X[r] = 0;
      for (let i = 0; i < stations.length; i++) R[i][r] = 0;
      if (n[r] === 0) continue;
      const prev = idx - stride[r];
      let sumR = 0;
      for (let i = 0; i < stations.length; i++) {
        const s = stations[i];
        const d = s.demands[r];
        let v: number;
        if (s.type === 'queue') v = d * (1 + Q[i][prev]);
        else if (s.type === 'delay') v = d;
        else {
          const a = alphas[i]!;
          const m = marg[i]!;
          const base = offset[prev];
          v = 0;
          for (let j = 1; j <= size; j++) v += ((j * d) / a(j)) * m[base + j - 1];
        }
        R[i][r] = v;
        sumR += v;
      }
      const cyc = Z[r] + sumR;
      X[r] = cyc > 0 ? n[r] / cyc : Infinity;
    }
    for (let i = 0; i < stations.length; i++) {
      let q = 0;
      for (let r = 0; r < C; r++) q += X[r] * R[i][r];
      Q[i][idx] = q;
      const m = marg[i];
      if (m) {
        const a = alphas[i]!;
        const base = offset[idx];
        let sum = 0;
        for (let j = 1; j <= size; j++) {
          let pj = 0;
          for (let r = 0; r < C; r++) {
            if (n[r] === 0) continue;
            const prevBase = offset[idx - stride[r]];
            pj += (stations[i].demands[r] / a(j)) * X[r] * m[prevBase + j - 1];
          }
          m[base + j] = pj;
          sum += pj;
        }
        m[base] = Math.max(0, 1 - sum);
      }
    }
  }
  const last = total - 1;
  return {
    throughput: X.slice(),
    response: N.map((_, r) => stations.reduce((s, __, i) => s + R[i][r], 0)),
    stations: stations.map((s, i) => ({
      residence: R[i].slice(),
      queueLength: R[i].map((v, r) => X[r] * v),
      busy: s.demands.reduce((acc, d, r) => acc + X[r] * d, 0),
      ...(marg[i] ? { marginal: Array.from(marg[i]!.subarray(offset[last], offset[last] + sizeOf[last] + 1)) } : {})
    }))
  };
}

function increment(n: number[], N: number[]): void {
  for (let r = 0; r < n.length; r++) {
    if (n[r] < N[r]) {
      n[r]++;
      return;
    }
    n[r] = 0;
  }
}
