/**
 * The fluid picture of PAPERS.md §6: the drift field over (q, o) — q requests in the system
 * (waiting or in service), o requests in orbit (waiting to retry) — its equilibria, their basins
 * and the trigger classification the experiments' sweep reuses as its cheap level.
 *
 * Inside the box (0 ≤ q < N) the drift is PAPERS.md §6's, exactly:
 *   dq/dt = λ − μ·min(q, c) + μ_r·o
 *   do/dt = λ·T(q) − μ_r·(1 − T(q))·o − μ_d·o
 * with μ_r = R/((R+1)τ), μ_d = 1/((R+1)τ). It is the mean drift of the CTMC in ctmc.ts.
 *
 * At the wall q = N the queue refuses work. Where the formula pushes q past N, the queue stays full:
 * it admits exactly μ·min(N, c) of the inflow λ + μ_r·o (the same fraction of fresh requests and
 * of retries), a refused fresh request joins the orbit and a refused retry stays there. Then
 *   dq/dt = 0,  do/dt = λ − μ·min(N, c)·(1 − T(N)) − μ_d·o.
 * This wall is what makes the "stuck" equilibrium: with a long queue it sits at (N, o*) with
 * o* = (λ − μ·min(N,c)·(1 − T(N)))/μ_d, provided λ + μ_r·o* ≥ μ·min(N, c).
 *
 * T(q) is defined at whole q (timeout.ts); between whole numbers the fluid uses the straight
 * line between neighbours, so the field is continuous and its equilibria can be bracketed.
 */
import { orbitRates, systemBound, type MetastabilityParams, type Trigger } from './params';
import { timeoutTable, type TimeoutModel, type TimeoutTable } from './timeout';

export interface Fluid {
  params: MetastabilityParams;
  /** N = capacity + servers. */
  N: number;
  lambda: number;
  mu: number;
  c: number;
  retryRate: number;
  dropRate: number;
  timeouts: TimeoutTable;
}

export function fluidModel(params: MetastabilityParams, timeoutModel: TimeoutModel = 'erlang'): Fluid {
  const N = systemBound(params);
  const { retry, drop } = orbitRates(params);
  return {
    params,
    N,
    lambda: params.arrivalRate,
    mu: params.serviceRate,
    c: params.servers,
    retryRate: retry,
    dropRate: drop,
    timeouts: timeoutTable(N, params.serviceRate, params.servers, params.timeout, timeoutModel)
  };
}

/** T at real q in [0, N] (straight line between whole numbers). */
export function timeoutAt(f: Fluid, q: number): number {
  const t = f.timeouts.t;
  if (q <= 0) return t[0];
  if (q >= f.N) return t[f.N];
  const i = Math.floor(q);
  const w = q - i;
  return w === 0 ? t[i] : t[i] * (1 - w) + t[i + 1] * w;
}

/** dT/dq at real q: the slope of the piece; at a whole number, the mean of the two pieces. */
export function timeoutSlope(f: Fluid, q: number): number {
  const t = f.timeouts.t;
  const N = f.N;
  if (N === 0) return 0;
  const piece = (i: number) => (i < 0 || i >= N ? 0 : t[i + 1] - t[i]);
  const i = Math.floor(q);
  if (q === i) return (piece(i - 1) + piece(i)) / (i <= 0 || i >= N ? 1 : 2);
  return piece(i);
}

export interface Drift {
  dq: number;
  do: number;
}

/** The drift at (q, o), with the wall at q = N; `lambda` overrides λ (a trigger). */
export function drift(f: Fluid, q: number, o: number, lambda = f.lambda): Drift {
  const served = f.mu * Math.min(Math.max(q, 0), f.c);
  const inflow = lambda + f.retryRate * o;
  if (q >= f.N && inflow >= served) {
    return { dq: 0, do: lambda - served * (1 - f.timeouts.t[f.N]) - f.dropRate * o };
  }
  const T = timeoutAt(f, q);
  return { dq: inflow - served, do: lambda * T - f.retryRate * (1 - T) * o - f.dropRate * o };
}

export type EquilibriumKind = 'drained' | 'stuck' | 'saddle' | 'unstable';

export interface Equilibrium {
  q: number;
  o: number;
  /** 'drained': the stable one with the shortest queue; 'stuck': any other stable one. */
  kind: EquilibriumKind;
  stable: boolean;
  /** On the wall q = N (the queue full). */
  onWall: boolean;
  /** Eigenvalues of the Jacobian (real parts; `imaginary` ≠ 0 for a focus). Wall: [−μ_d]. */
  eigenvalues: number[];
  imaginary: number;
  /** For a saddle: the stable direction (unit vector in (q, o)), from which the basin boundary is traced. */
  stableDirection?: [number, number];
  /** Goodput at the equilibrium: first attempts that complete in time, per second. */
  goodput: number;
}

function jacobian(f: Fluid, q: number, o: number): [number, number, number, number] {
  const T = timeoutAt(f, q);
  const dT = timeoutSlope(f, q);
  const a = q < f.c ? -f.mu : 0;
  return [a, f.retryRate, (f.lambda + f.retryRate * o) * dT, -f.retryRate * (1 - T) - f.dropRate];
}

/**
 * Goodput at a state: admitted requests that will not time out, less nothing for retries
 * (a retry that succeeds is good work too): (λ + μ_r·o)·admitted·(1 − T(q)) where admitted is the
 * fraction let in (1 off the wall). Every completion of a logical request counts once.
 */
function goodputAt(f: Fluid, q: number, o: number): number {
  const inflow = f.lambda + f.retryRate * o;
  const served = f.mu * Math.min(q, f.c);
  const admitted = q >= f.N && inflow > served ? served / inflow : 1;
  return inflow * admitted * (1 - timeoutAt(f, q));
}

function interior(f: Fluid, q: number, o: number): Equilibrium {
  const [a, b, c, d] = jacobian(f, q, o);
  const tr = a + d;
  const det = a * d - b * c;
  const disc = tr * tr - 4 * det;
  let eigenvalues: number[];
  let imaginary = 0;
  if (disc >= 0) {
    const s = Math.sqrt(disc);
    eigenvalues = [(tr - s) / 2, (tr + s) / 2];
  } else {
    eigenvalues = [tr / 2, tr / 2];
    imaginary = Math.sqrt(-disc) / 2;
  }
  const saddle = det < 0;
  const stable = !saddle && det > 0 && tr < 0;
  const e: Equilibrium = {
    q,
    o,
    kind: saddle ? 'saddle' : stable ? 'stuck' : 'unstable',
    stable,
    onWall: false,
    eigenvalues,
    imaginary,
    goodput: goodputAt(f, q, o)
  };
  if (saddle) {
    // (J − λ_s I) v = 0 with λ_s the negative eigenvalue.
    const ls = eigenvalues[0];
    let v: [number, number] = Math.abs(b) > 1e-300 ? [b, ls - a] : [ls - d, c];
    if (v[0] === 0 && v[1] === 0) v = [1, 0];
    const n = Math.hypot(v[0], v[1]);
    e.stableDirection = [v[0] / n, v[1] / n];
  }
  return e;
}

/**
 * Every equilibrium of the field in the box: interior zeros (bracketed on a fine grid of q, then
 * bisected) and the wall equilibrium at q = N. Sorted by q; the stable one with the smallest q is
 * 'drained', other stable ones 'stuck'.
 */
export function equilibria(f: Fluid): Equilibrium[] {
  const out: Equilibrium[] = [];
  const { lambda, mu, c, N, retryRate: mr, dropRate: md } = f;
  // Along dq/dt = 0 the orbit is o_q(q) = (μ·min(q,c) − λ)/μ_r; along do/dt = 0 it is
  // o_o(q) = λT/(μ_r(1 − T) + μ_d). Equilibria are the zeros of g = o_q − o_o.
  const oOrbit = (q: number) => {
    const T = timeoutAt(f, q);
    return (lambda * T) / (mr * (1 - T) + md);
  };
  if (mr > 0) {
    const g = (q: number) => (mu * Math.min(q, c) - lambda) / mr - oOrbit(q);
    const steps = Math.min(2_000_000, Math.max(4000, 16 * N));
    let q0 = 0;
    let g0 = g(0);
    for (let s = 1; s <= steps; s++) {
      const q1 = (N * s) / steps;
      if (q1 >= N) break; // the wall is handled below
      const g1 = g(q1);
      if (g0 === 0) out.push(interior(f, q0, oOrbit(q0)));
      else if (g0 < 0 !== g1 < 0 && g1 !== 0) {
        let lo = q0;
        let hi = q1;
        for (let it = 0; it < 100 && hi - lo > 1e-12 * Math.max(1, hi); it++) {
          const mid = (lo + hi) / 2;
          if (g(mid) < 0 === g0 < 0) lo = mid;
          else hi = mid;
        }
        const q = (lo + hi) / 2;
        out.push(interior(f, q, oOrbit(q)));
      }
      q0 = q1;
      g0 = g1;
    }
  } else {
    // No retries: dq/dt = λ − μ·min(q, c) vanishes at q = λ/μ (if that is inside the box).
    const q = lambda / mu;
    if (q < Math.min(c, N)) out.push(interior(f, q, oOrbit(q)));
  }
  // The wall q = N.
  const served = mu * Math.min(N, c);
  const oWall = (lambda - served * (1 - f.timeouts.t[N])) / md;
  if (oWall >= 0 && lambda + mr * oWall >= served) {
    out.push({
      q: N,
      o: oWall,
      kind: 'stuck',
      // Pushed into the wall (strictly, unless exactly at the edge) and contracting along it.
      stable: lambda + mr * oWall > served,
      onWall: true,
      eigenvalues: [-md],
      imaginary: 0,
      goodput: goodputAt(f, N, oWall)
    });
  }
  out.sort((a, b) => a.q - b.q);
  const firstStable = out.find((e) => e.stable);
  for (const e of out) {
    if (e.stable) e.kind = e === firstStable ? 'drained' : 'stuck';
    else if (e.kind !== 'saddle') e.kind = 'unstable';
  }
  // A lone stable equilibrium on the wall is overload, not a drained state.
  if (firstStable && firstStable.onWall) firstStable.kind = 'stuck';
  return out;
}

/* ---------------------------------------------------------------------------------------------
 * Trajectories.
 * ------------------------------------------------------------------------------------------- */

export interface State {
  q: number;
  o: number;
}

/**
 * One step of linearly implicit Euler: the parts of the drift linear in the variable itself
 * (−μq below c servers, −(μ_r(1−T) + μ_d)·o) are taken implicitly, so the step is stable for any
 * dt; T(q) and the coupling are explicit. q stays in [0, N], o ≥ 0.
 */
function step(f: Fluid, s: State, dt: number, lambda: number): void {
  const { q, o } = s;
  const d = drift(f, q, o, lambda);
  if (q >= f.N && d.dq === 0) {
    const served = f.mu * Math.min(f.N, f.c);
    s.o = (o + dt * (lambda - served * (1 - f.timeouts.t[f.N]))) / (1 + dt * f.dropRate);
    return;
  }
  const T = timeoutAt(f, q);
  let qn: number;
  if (q < f.c) qn = (q + dt * (lambda + f.retryRate * o)) / (1 + dt * f.mu);
  else qn = q + dt * d.dq;
  const on = (o + dt * lambda * T) / (1 + dt * (f.retryRate * (1 - T) + f.dropRate));
  s.q = Math.min(f.N, Math.max(0, qn));
  s.o = Math.max(0, on);
}

/** A step that moves q and o by at most about one unit (and never more than `maxDt`). */
function stepSize(f: Fluid, s: State, lambda: number, maxDt: number): number {
  const d = drift(f, s.q, s.o, lambda);
  const speed = Math.max(Math.abs(d.dq), Math.abs(d.do) / Math.max(1, s.o * 0.05 + 1));
  return speed > 0 ? Math.min(maxDt, 0.5 / speed) : maxDt;
}

/** Follow the drift with arrival rate `lambda` for `duration` seconds. */
export function integrate(f: Fluid, start: State, duration: number, lambda = f.lambda): State {
  const s = { q: start.q, o: start.o };
  const maxDt = Math.max(1e-6, Math.min(f.params.timeout, duration / 50));
  let t = 0;
  for (let i = 0; i < 10_000_000 && t < duration; i++) {
    const dt = Math.min(stepSize(f, s, lambda, maxDt), duration - t);
    step(f, s, dt, lambda);
    t += dt;
  }
  return s;
}

/** Near enough to an equilibrium to call it reached. */
function near(f: Fluid, s: State, e: Equilibrium): boolean {
  return Math.abs(s.q - e.q) <= Math.max(0.5, 0.01 * f.N) && Math.abs(s.o - e.o) <= Math.max(0.5, 0.02 * e.o);
}

/**
 * Where the fluid from `start` settles at base load: the index of the stable equilibrium it
 * reaches in `equilibria`, or −1 if none within the horizon (10⁴ orbit lifetimes).
 */
export function settle(f: Fluid, eq: Equilibrium[], start: State): { index: number; state: State; time: number } {
  const stable = eq.map((e, i) => [e, i] as const).filter(([e]) => e.stable);
  const s = { q: start.q, o: start.o };
  const life = (f.params.retries + 1) * f.params.timeout;
  const horizon = 1e4 * life + (1e4 * (f.N + 1)) / (f.mu * f.c);
  const maxDt = Math.max(1e-6, 0.5 * f.params.timeout);
  let t = 0;
  for (let i = 0; i < 200_000 && t < horizon; i++) {
    for (const [e, k] of stable) if (near(f, s, e)) return { index: k, state: s, time: t };
    const dt = stepSize(f, s, f.lambda, maxDt);
    step(f, s, dt, f.lambda);
    t += dt;
  }
  return { index: -1, state: s, time: t };
}

/* ---------------------------------------------------------------------------------------------
 * The field as data for a plot.
 * ------------------------------------------------------------------------------------------- */

export interface DriftField {
  /** Grid coordinates: q along x (0..N), o along y (0..orbitMax). */
  queue: number[];
  orbit: number[];
  /** Row-major by orbit: index = j·queue.length + i for (queue[i], orbit[j]). */
  dq: number[];
  do: number[];
  /** |drift| = hypot(dq, do), for the colour. */
  speed: number[];
  /** Index into `equilibria` of the stable equilibrium the fluid from each grid point reaches (−1: none). */
  basin: number[] | null;
}

export interface Separatrix {
  /** Index of the saddle in `equilibria`. */
  saddle: number;
  /** The stable manifold of the saddle, traced backwards in time both ways: the basin boundary. */
  branches: State[][];
}

export interface FieldOptions {
  queueSteps?: number;
  orbitSteps?: number;
  /** Top of the plotted orbit axis; default 1.25 × the largest orbit of interest. */
  orbitMax?: number;
  /** Label each grid point with its basin (default true). */
  basins?: boolean;
}

export function defaultOrbitMax(f: Fluid, eq: Equilibrium[]): number {
  const life = (f.params.retries + 1) * f.params.timeout;
  const top = Math.max(f.lambda * life, ...eq.map((e) => e.o));
  return Math.max(10, Math.ceil(1.25 * top));
}

export function driftField(f: Fluid, eq: Equilibrium[], options: FieldOptions = {}): DriftField {
  const nq = Math.max(2, Math.floor(options.queueSteps ?? 41));
  const no = Math.max(2, Math.floor(options.orbitSteps ?? 41));
  const oMax = options.orbitMax ?? defaultOrbitMax(f, eq);
  const queue = Array.from({ length: nq }, (_, i) => (f.N * i) / (nq - 1));
  const orbit = Array.from({ length: no }, (_, j) => (oMax * j) / (no - 1));
  const dq: number[] = [];
  const dO: number[] = [];
  const speed: number[] = [];
  const basin: number[] | null = options.basins === false ? null : [];
  for (const o of orbit) {
    for (const q of queue) {
      const d = drift(f, q, o);
      dq.push(d.dq);
      dO.push(d.do);
      speed.push(Math.hypot(d.dq, d.do));
      if (basin) basin.push(settle(f, eq, { q, o }).index);
    }
  }
  return { queue, orbit, dq, do: dO, speed, basin };
}

/** Trace each saddle's stable manifold backwards in time until it leaves the box [0,N]×[0,orbitMax]. */
export function separatrices(f: Fluid, eq: Equilibrium[], orbitMax = defaultOrbitMax(f, eq)): Separatrix[] {
  const out: Separatrix[] = [];
  eq.forEach((e, k) => {
    if (e.kind !== 'saddle' || !e.stableDirection) return;
    const branches: State[][] = [];
    for (const sign of [1, -1]) {
      const scale = 1e-3 * Math.max(1, Math.hypot(e.q, e.o));
      let q = e.q + sign * scale * e.stableDirection[0];
      let o = e.o + sign * scale * e.stableDirection[1];
      const pts: State[] = [{ q: e.q, o: e.o }];
      // Backwards RK4 (the stable manifold attracts backward trajectories), steps of ≈ 0.05 units.
      const back = (x: number, y: number): [number, number] => {
        const d = drift(f, x, y);
        return [-d.dq, -d.do];
      };
      let lastQ = q;
      let lastO = o;
      for (let i = 0; i < 200_000; i++) {
        if (q < 0 || q > f.N || o < 0 || o > orbitMax) break;
        const [a1, b1] = back(q, o);
        const sp = Math.hypot(a1, b1);
        if (!(sp > 1e-12)) break;
        const h = Math.min(0.05 / sp, 10 * f.params.timeout);
        const [a2, b2] = back(q + (h / 2) * a1, o + (h / 2) * b1);
        const [a3, b3] = back(q + (h / 2) * a2, o + (h / 2) * b2);
        const [a4, b4] = back(q + h * a3, o + h * b3);
        q += (h / 6) * (a1 + 2 * a2 + 2 * a3 + a4);
        o += (h / 6) * (b1 + 2 * b2 + 2 * b3 + b4);
        if (Math.hypot((q - lastQ) / Math.max(1, f.N), (o - lastO) / Math.max(1, orbitMax)) > 0.005) {
          pts.push({ q, o });
          lastQ = q;
          lastO = o;
        }
      }
      pts.push({ q: Math.min(f.N, Math.max(0, q)), o: Math.min(orbitMax, Math.max(0, o)) });
      branches.push(pts);
    }
    out.push({ saddle: k, branches });
  });
  return out;
}

/* ---------------------------------------------------------------------------------------------
 * The cheap level of the trigger sweep.
 * ------------------------------------------------------------------------------------------- */

/**
 * 'stable': at base load only the drained equilibrium exists, so every trigger is recovered from.
 * 'vulnerable': a stuck equilibrium exists, but this trigger leaves the fluid in the drained basin.
 * 'metastable': this trigger leaves the fluid in the stuck basin: it stays stuck after the trigger.
 * 'overloaded': there is no drained equilibrium at base load (λ too high): stuck without a trigger.
 */
export type TriggerClass = 'stable' | 'vulnerable' | 'metastable' | 'overloaded';

export interface TriggerClassification {
  class: TriggerClass;
  trigger: Trigger;
  /** The fluid state when the trigger ends (from the drained equilibrium). */
  endOfTrigger: State;
  /** Index in `equilibria` of where it settles afterwards (−1: not within the horizon). */
  settlesAt: number;
  /** Time from the end of the trigger until it settles, s. */
  settleTime: number;
}

export function classifyTrigger(f: Fluid, eq: Equilibrium[], trigger: Trigger): TriggerClassification {
  const drained = eq.find((e) => e.kind === 'drained');
  const start = drained ? { q: drained.q, o: drained.o } : { q: 0, o: 0 };
  const end = integrate(f, start, trigger.duration, trigger.rate);
  const settled = settle(f, eq, end);
  let cls: TriggerClass;
  if (!drained) cls = 'overloaded';
  else if (!eq.some((e) => e.kind === 'stuck')) cls = 'stable';
  else cls = settled.index >= 0 && eq[settled.index].kind === 'stuck' ? 'metastable' : 'vulnerable';
  return { class: cls, trigger, endOfTrigger: end, settlesAt: settled.index, settleTime: settled.time };
}
