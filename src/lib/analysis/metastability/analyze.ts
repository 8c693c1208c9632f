/**
 * `analyzeMetastability(params, options)`: the cheap levels of PAPERS.md §6 for one
 * client → queue → server loop with retries — the drift field with its equilibria and basins
 * (milliseconds), then the CTMC: stationary distribution, expected time to recover from the stuck
 * region, mixing time (seconds for 50,000 states).
 *
 * Pure and deterministic: no clock, no randomness. Bad parameters give `{ ok: false, issues }`.
 */
import type { ModelIssue } from '../../model/types';
import { buildCtmc, stateIndex } from './ctmc';
import {
  classifyTrigger,
  defaultOrbitMax,
  driftField,
  equilibria,
  fluidModel,
  separatrices,
  type DriftField,
  type Equilibrium,
  type FieldOptions,
  type Separatrix,
  type State,
  type TriggerClassification
} from './drift';
import { hittingTimes, stationaryByElimination, type HittingMethod } from './hitting';
import { mixingTime, type MixingOptions } from './mixing';
import { checkParams, orbitRates, systemBound, type MetastabilityParams, type Trigger } from './params';
import { stationaryResidual, uniformisationRate } from './sparse';
import { stationaryDistribution, type StationaryMethod } from './stationary';
import type { TimeoutModel } from './timeout';

/** Above this many states the chain is not built (the fluid part is still reported). */
export const MAX_STATES = 1_000_000;
/** Above this elimination work (states × band²) the chain is not built. */
export const MAX_ELIMINATION_WORK = 2e10;

export interface MetastabilityOptions {
  /** How T(q) is computed (default 'erlang'). */
  timeoutModel?: TimeoutModel;
  /** The trigger to classify and to start the recovery from (default: none). */
  trigger?: Trigger | null;
  /** The drift field's grid (default 41 × 41, with basins). */
  field?: FieldOptions;
  /** Build and solve the chain (default true). */
  chain?: boolean;
  /** Orbit truncation O (default: see `defaultOrbitBound`). */
  orbitBound?: number;
  /** Start of the recovery (default: the stuck equilibrium, else the end of the trigger, else (N, λ(R+1)τ)). */
  start?: { q: number; o: number };
  /** "Drained": q ≤ maxQueue and o ≤ maxOrbit (defaults: c, and max(1, ⌈2·o*⌉) of the drained equilibrium). */
  target?: { maxQueue?: number; maxOrbit?: number };
  /**
   * 'elimination' (default): banded GTH, exact to rounding whatever the basins' weights;
   * the iterative methods of stationary.ts otherwise. Either way the residual ‖πQ‖₁/Λ is reported
   * and `converged` says whether it is ≤ `tolerance` (default 1e-10).
   */
  stationary?: { method?: 'elimination' | StationaryMethod; tolerance?: number; maxIterations?: number; omega?: number };
  hittingMethod?: HittingMethod;
  /** Mixing-time settings, or false to skip it. */
  mixing?: MixingOptions | false;
  /** Include the whole stationary vector (index o·(N+1) + q) in the report (default false). */
  includeDistribution?: boolean;
}

export interface ChainReport {
  /** N and the truncation O; states = (N+1)(O+1). */
  N: number;
  orbitBound: number;
  states: number;
  transitions: number;
  /** Λ: the largest total rate out of a state. */
  uniformisationRate: number;
  stationary: {
    method: 'elimination' | StationaryMethod;
    iterations: number;
    residual: number;
    converged: boolean;
    meanQueue: number;
    meanOrbit: number;
    /** P(q = N): the queue is full. */
    pFull: number;
    /** Completions per second and those that beat the timeout (goodput, requests/s). */
    throughput: number;
    goodput: number;
    /** P(o = O): mass at the truncation (should be negligible). */
    boundaryMass: number;
    /** Marginals: P(q = k), k = 0..N, and P(o = k), k = 0..O. */
    queue: number[];
    orbit: number[];
    distribution?: Float64Array;
  };
  recovery: {
    method: HittingMethod;
    /** Lattice state the recovery starts from, and why. */
    start: State;
    startReason: 'given' | 'stuck equilibrium' | 'end of trigger' | 'full queue, full orbit';
    target: { maxQueue: number; maxOrbit: number };
    /** Expected time from `start` to a drained state, s. */
    expectedTime: number;
    /** Fraction of that time spent at the orbit truncation o = O (should be negligible). */
    boundaryTimeFraction: number;
    /** The same from the fluid's state at the end of the trigger, when a trigger is given. */
    afterTrigger: { start: State; expectedTime: number } | null;
  };
  mixing: {
    threshold: number;
    /** First t with TV(δ_start·e^{Qt}, π) ≤ threshold; null when the work budget ran out first. */
    time: number | null;
    lowerBound: number;
    /**
     * When the budget ran out and recovery is far slower: E[recovery]·ln(1/threshold), since the
     * distance then is about P(not yet escaped) ≈ exp(−t/E[recovery]). An approximation.
     */
    estimate: number | null;
    products: number;
  } | null;
}

export interface MetastabilityReport {
  ok: true;
  params: MetastabilityParams;
  timeoutModel: TimeoutModel;
  derived: {
    N: number;
    /** λ/(μc): offered load of first attempts. */
    load: number;
    /** Per orbit request, 1/s. */
    retryRate: number;
    dropRate: number;
  };
  /** T(q) for q = 0..N. */
  timeouts: number[];
  equilibria: Equilibrium[];
  /** A stable stuck equilibrium exists besides the drained one. */
  stuckExists: boolean;
  field: DriftField;
  separatrices: Separatrix[];
  trigger: TriggerClassification | null;
  chain: ChainReport | null;
  notes: string[];
}

export type MetastabilityResult = MetastabilityReport | { ok: false; issues: ModelIssue[] };

/**
 * Default orbit truncation: the largest orbit of interest o_ref (equilibria, the recovery start)
 * plus 8·√o_ref + 10. In the stuck region the orbit is close to Poisson(o_ref) (every request
 * stays about (R+1)τ), whose tail beyond 8 standard deviations is below 1e-13.
 */
export function defaultOrbitBound(eq: Equilibrium[], startOrbit: number): number {
  const ref = Math.max(1, startOrbit, ...eq.filter((e) => e.stable).map((e) => e.o));
  return Math.ceil(ref + 8 * Math.sqrt(ref) + 10);
}

export function analyzeMetastability(params: MetastabilityParams, options: MetastabilityOptions = {}): MetastabilityResult {
  const issues = checkParams(params);
  if (issues.length > 0) return { ok: false, issues };
  const timeoutModel = options.timeoutModel ?? 'erlang';
  const notes: string[] = [];
  const f = fluidModel(params, timeoutModel);
  const eq = equilibria(f);
  const N = systemBound(params);
  const { retry, drop } = orbitRates(params);
  const stuck = eq.find((e) => e.kind === 'stuck' && e.stable);
  const drained = eq.find((e) => e.kind === 'drained');
  if (!drained) notes.push('no drained equilibrium: at this load the queue fills without any trigger');
  const trigger = options.trigger ? classifyTrigger(f, eq, options.trigger) : null;

  // Where the recovery starts.
  const life = (params.retries + 1) * params.timeout;
  let start: State;
  let startReason: ChainReport['recovery']['startReason'];
  if (options.start) {
    start = { q: options.start.q, o: options.start.o };
    startReason = 'given';
  } else if (stuck) {
    start = { q: Math.round(stuck.q), o: Math.round(stuck.o) };
    startReason = 'stuck equilibrium';
  } else if (trigger) {
    start = { q: Math.round(trigger.endOfTrigger.q), o: Math.round(trigger.endOfTrigger.o) };
    startReason = 'end of trigger';
  } else {
    start = { q: N, o: Math.round(params.arrivalRate * life) };
    startReason = 'full queue, full orbit';
  }

  const fieldOptions: FieldOptions = { ...options.field };
  fieldOptions.orbitMax ??= Math.max(defaultOrbitMax(f, eq), Math.ceil(1.1 * start.o));
  const field = driftField(f, eq, fieldOptions);
  const seps = separatrices(f, eq, fieldOptions.orbitMax);

  let chain: ChainReport | null = null;
  if (options.chain !== false) {
    const O = options.orbitBound ?? defaultOrbitBound(eq, start.o);
    const startIssues: ModelIssue[] = [];
    if (!Number.isInteger(O) || O < 1) startIssues.push({ path: 'orbitBound', message: `expected a whole number ≥ 1, got ${O}` });
    if (!Number.isInteger(start.q) || start.q < 0 || start.q > N) startIssues.push({ path: 'start.q', message: `expected a whole number in 0..${N}, got ${start.q}` });
    if (!Number.isInteger(start.o) || start.o < 0 || (Number.isInteger(O) && start.o > O)) startIssues.push({ path: 'start.o', message: `expected a whole number in 0..${O} (the orbit bound), got ${start.o}` });
    if (startIssues.length > 0) return { ok: false, issues: startIssues };
    const states = (N + 1) * (O + 1);
    const work = states * (N + 2) ** 2;
    if (states > MAX_STATES || work > MAX_ELIMINATION_WORK) {
      notes.push(`chain not built: ${states.toLocaleString('en-US')} states with band ${N + 2} is beyond this solver (at most ${MAX_STATES.toLocaleString('en-US')} states and states × band² ≤ ${MAX_ELIMINATION_WORK.toExponential(0)})`);
    } else {
      chain = solveChain(params, O, timeoutModel, start, startReason, drained, trigger, options);
      if (chain.stationary.boundaryMass > 1e-9) notes.push(`stationary mass at the orbit truncation O = ${O} is ${chain.stationary.boundaryMass.toExponential(2)}: raise orbitBound`);
      if (chain.recovery.boundaryTimeFraction > 1e-6) notes.push(`the recovery spends ${(chain.recovery.boundaryTimeFraction * 100).toPrecision(2)}% of its time at the orbit truncation O = ${O}: raise orbitBound`);
      if (!chain.stationary.converged) notes.push(`the stationary solve stopped at residual ${chain.stationary.residual.toExponential(2)} (> tolerance)`);
    }
  }

  return {
    ok: true,
    params: { ...params },
    timeoutModel,
    derived: { N, load: params.arrivalRate / (params.serviceRate * params.servers), retryRate: retry, dropRate: drop },
    timeouts: Array.from(f.timeouts.t),
    equilibria: eq,
    stuckExists: stuck !== undefined && drained !== undefined,
    field,
    separatrices: seps,
    trigger,
    chain,
    notes
  };
}

function solveChain(
  params: MetastabilityParams,
  O: number,
  timeoutModel: TimeoutModel,
  start: State,
  startReason: ChainReport['recovery']['startReason'],
  drained: Equilibrium | undefined,
  trigger: TriggerClassification | null,
  options: MetastabilityOptions
): ChainReport {
  const ctmc = buildCtmc(params, O, timeoutModel);
  const { N, generator: g } = ctmc;
  const n = g.n;
  const row = N + 1;
  const of = new Int32Array(n);
  for (let i = 0; i < n; i++) of[i] = Math.floor(i / row);
  const method = options.stationary?.method ?? 'elimination';
  const tolerance = options.stationary?.tolerance ?? 1e-10;
  let st: { pi: Float64Array; iterations: number; residual: number; converged: boolean; method: 'elimination' | StationaryMethod };
  if (method === 'elimination') {
    const p = stationaryByElimination(g);
    const residual = stationaryResidual(g, p);
    st = { pi: p, iterations: 1, residual, converged: residual <= tolerance, method };
  } else {
    st = stationaryDistribution(g, {
      method,
      tolerance,
      maxIterations: options.stationary?.maxIterations,
      omega: options.stationary?.omega,
      levels: { of, count: O + 1 }
    });
  }
  const pi = st.pi;
  const queue = new Array<number>(N + 1).fill(0);
  const orbit = new Array<number>(O + 1).fill(0);
  const { notT } = ctmc.timeouts;
  const { retry: mr } = orbitRates(params);
  const mu = params.serviceRate;
  const c = params.servers;
  let throughput = 0;
  let goodput = 0;
  for (let o = 0; o <= O; o++) {
    for (let q = 0; q <= N; q++) {
      const p = pi[o * row + q];
      queue[q] += p;
      orbit[o] += p;
      throughput += p * mu * Math.min(q, c);
      if (q < N) goodput += p * (params.arrivalRate + mr * o) * notT[q];
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, x, k) => a + x * k, 0);

  // Recovery: expected time to the drained set, and time spent at o = O on the way.
  const maxQueue = options.target?.maxQueue ?? c;
  const maxOrbit = options.target?.maxOrbit ?? Math.max(1, Math.ceil(2 * (drained?.o ?? 0)));
  const target = new Uint8Array(n);
  for (let o = 0; o <= Math.min(O, maxOrbit); o++) for (let q = 0; q <= Math.min(N, maxQueue); q++) target[o * row + q] = 1;
  const atBound = new Float64Array(n);
  for (let q = 0; q <= N; q++) atBound[O * row + q] = 1;
  const hit = hittingTimes(g, target, { method: options.hittingMethod ?? 'elimination', rewards: [new Float64Array(n).fill(1), atBound] });
  const s = stateIndex(N, start.q, start.o);
  const expectedTime = hit.values[0][s];
  let afterTrigger: ChainReport['recovery']['afterTrigger'] = null;
  if (trigger) {
    const q = Math.min(N, Math.round(trigger.endOfTrigger.q));
    const o = Math.min(O, Math.round(trigger.endOfTrigger.o));
    afterTrigger = { start: { q, o }, expectedTime: hit.values[0][stateIndex(N, q, o)] };
  }

  let mixing: ChainReport['mixing'] = null;
  if (options.mixing !== false) {
    const m = mixingTime(g, s, pi, options.mixing || {});
    const slow = m.time === null && expectedTime > 10 * m.lowerBound;
    mixing = {
      threshold: m.threshold,
      time: m.time,
      lowerBound: m.lowerBound,
      estimate: slow ? expectedTime * Math.log(1 / m.threshold) : null,
      products: m.products
    };
  }

  return {
    N,
    orbitBound: O,
    states: n,
    transitions: g.col.length,
    uniformisationRate: uniformisationRate(g),
    stationary: {
      method: st.method,
      iterations: st.iterations,
      residual: st.residual,
      converged: st.converged,
      meanQueue: mean(queue),
      meanOrbit: mean(orbit),
      pFull: queue[N],
      throughput,
      goodput,
      boundaryMass: orbit[O],
      queue,
      orbit,
      ...(options.includeDistribution ? { distribution: pi } : {})
    },
    recovery: {
      method: hit.method,
      start,
      startReason,
      target: { maxQueue, maxOrbit },
      expectedTime,
      boundaryTimeFraction: expectedTime > 0 ? hit.values[1][s] / expectedTime : 0,
      afterTrigger
    },
    mixing
  };
}
