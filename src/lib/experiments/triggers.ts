/**
 * The trigger sweep (PAPERS.md §6, the expensive level): for a client → … → server loop with
 * retries, simulate every point of a grid (base load × trigger rate × trigger length) and class
 * what the trigger leaves behind, from the client's goodput over time:
 *
 *  - `stable`: goodput is back to the offered load soon after the trigger ends (within
 *    `slowAfter`, below);
 *  - `vulnerable`: it comes back, but only later than that;
 *  - `metastable`: it is still degraded in the last window of the run, long after the trigger;
 *  - `overloaded`: it was not at the offered load even before the trigger (the base load alone
 *    is too much), so nothing can be said about the trigger.
 *
 * Beside each point sits the cheap class of the fluid model (src/lib/analysis/metastability,
 * `classifyTrigger`) when the model fits it, so a page can paint both and the sweep can be
 * checked against the analysis.
 *
 * Work is split for workers: `planTriggerSweep` validates once and resolves every default into a
 * plain, structured-cloneable plan; `runTriggerReplication(plan, point, replication)` is a pure
 * function of its arguments (the model's seed and replication index give every draw, so points
 * share common random numbers: replication i of every point sees the same arrivals until the
 * trigger); `mergeTriggerPoint` folds a point's replications in index order. `triggerSweep` is
 * the sequential driver for Node and tests.
 */
import type { ModelIssue, NormalizedFault, NormalizedModel } from '../model/types';
import {
  classifyTrigger,
  equilibria,
  fluidModel,
  metastabilityParamsFromModel,
  type MetastabilityParams,
  type State,
  type TimeoutModel,
  type TriggerClass
} from '../analysis/metastability/index';
import { runReplication, summarize } from '../sim/index';
import type { Estimate } from '../sim/results';
import { bucketAt, estimate, findClient, issue, requestLifetime, scaleClient, sumRange, withNodeParams } from './common';
import { MAX_BUCKETS, niceCeil } from '../model/normalize';

/** The grid: every combination is one point. */
export interface TriggerGrid {
  /** Factors on the client's rate (1 = the model's own rate). */
  baseLoad: number[];
  /** The client's arrival rate while the trigger lasts, 1/s (the `rate` fault's value). */
  triggerRate: number[];
  /** How long the trigger lasts, s. */
  triggerLength: number[];
}

export interface TriggerSweepOptions {
  /** The client to drive (default: the first open client). */
  client?: string;
  /** When the trigger starts, s (default: the model's `rate` fault on the client, else max(60 s, 6 windows)). */
  at?: number;
  /** How long to watch after the trigger ends, s (default: max(3 × the point's `slowAfter`, 10 windows); at least 2 windows). */
  observe?: number;
  /** Replications per point (default: the model's). */
  replications?: number;
  /** Confidence of the intervals (default: the model's). */
  confidence?: number;
  /** Time-series bucket, s (default: the model's; widened to at most 2,000 buckets per run). */
  bucket?: number;
  /** Width of the window goodput is judged over, s (default: max(5 buckets, 4 × timeout)). */
  window?: number;
  /** A window is healthy when goodput ≥ (1 − tolerance) × offered in it (default 0.1). */
  tolerance?: number;
  /**
   * Recovery slower than max(slowFactor × trigger length, 2 × the longest life of a request,
   * one window) after the trigger ends is `vulnerable` (default 1) …
   */
  slowFactor?: number;
  /** … unless `slowAfter` (s) fixes the threshold for every point. */
  slowAfter?: number;
  /** T(q) of the analytic class (default 'erlang'). */
  timeoutModel?: TimeoutModel;
  /** Keep each replication's offered and goodput series (for thumbnails). */
  series?: boolean;
}

export type SimulatedClass = 'stable' | 'vulnerable' | 'metastable' | 'overloaded';

/** One grid point, with everything derived from the options. */
export interface TriggerPoint {
  index: number;
  baseLoad: number;
  triggerRate: number;
  triggerLength: number;
  /** The client's base rate at this point, 1/s. */
  rate: number;
  /** Trigger end, s. */
  end: number;
  /** Recovery slower than this (s after the trigger ends) is `vulnerable`. */
  slowAfter: number;
  /** Run length, s: trigger end + observation. */
  until: number;
}

/** What the cheap level says about a point (src/lib/analysis/metastability, `classifyTrigger`). */
export type AnalyticPoint =
  | { applicable: true; class: TriggerClass; stuckExists: boolean; endOfTrigger: State; settleTime: number }
  | { applicable: false };

export interface TriggerPlan {
  /** The model as given (the client's own rate; faults other than its `rate` faults are kept). */
  model: NormalizedModel;
  client: { id: string; index: number; rate: number; timeout: number | null; lifetime: number };
  at: number;
  replications: number;
  confidence: number;
  bucket: number;
  window: number;
  tolerance: number;
  slowFactor: number;
  series: boolean;
  points: TriggerPoint[];
  /** Whether the fluid model applies, and its parameters at base load 1. */
  analytic:
    | { applicable: true; params: MetastabilityParams; timeoutModel: TimeoutModel; notes: string[] }
    | { applicable: false; notApplicable: string; path: string };
}

/** One replication of one point. */
export interface TriggerReplication {
  replication: number;
  class: SimulatedClass;
  /** Seconds from the trigger's end until goodput is back (null: not back, or overloaded before). */
  recoveryTime: number | null;
  /** Before the trigger (second half of [0, at)): offered and goodput, 1/s. */
  baseline: { offered: number; goodput: number };
  /** The last window of the run: offered and goodput, 1/s. */
  final: { offered: number; goodput: number };
  events: number;
  series?: { bucket: number; offered: number[]; goodput: number[] };
}

export interface TriggerPointResult extends TriggerPoint {
  /** The class most replications got (a tie goes to the worse class). */
  class: SimulatedClass;
  counts: Record<SimulatedClass, number>;
  /** Mean recovery time over the replications that recovered (null when none did). */
  recoveryTime: (Estimate & { recovered: number }) | null;
  /** Goodput and offered load in the last window, 1/s, and their ratio per replication. */
  finalGoodput: Estimate;
  finalOffered: Estimate;
  finalRatio: Estimate;
  analytic: AnalyticPoint;
  /** Whether simulation and analysis agree on the outcome (recovers / stays stuck / overloaded); null without analysis. */
  agrees: boolean | null;
  replications: TriggerReplication[];
}

export interface TriggerSweepResult {
  model: string;
  client: string;
  /** The client's own rate, 1/s (base load 1). */
  rate: number;
  at: number;
  criteria: { bucket: number; window: number; tolerance: number; slowFactor: number; lifetime: number };
  replications: number;
  confidence: number;
  analytic: { applicable: true; timeoutModel: TimeoutModel; notes: string[] } | { applicable: false; notApplicable: string };
  points: TriggerPointResult[];
}

const CLASS_ORDER: SimulatedClass[] = ['stable', 'vulnerable', 'metastable', 'overloaded'];

/** recovers / stuck / overloaded: what the two levels must agree on. */
export function outcomeOf(c: SimulatedClass | TriggerClass): 'recovers' | 'stuck' | 'overloaded' {
  return c === 'metastable' ? 'stuck' : c === 'overloaded' ? 'overloaded' : 'recovers';
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Validate the grid and options and resolve every default. */
export function planTriggerSweep(
  model: NormalizedModel,
  grid: TriggerGrid,
  opts: TriggerSweepOptions = {}
): { ok: true; value: TriggerPlan } | { ok: false; issues: ModelIssue[] } {
  const issues: ModelIssue[] = [];
  const list = (name: keyof TriggerGrid, ok: (x: number) => boolean, what: string) => {
    const xs = grid[name];
    if (!Array.isArray(xs) || xs.length === 0) issues.push({ path: `grid.${name}`, message: `expected a non-empty list of ${what}` });
    else xs.forEach((x, i) => {
      if (!isNum(x) || !ok(x)) issues.push({ path: `grid.${name}[${i}]`, message: `expected ${what}, got ${JSON.stringify(x)}` });
    });
  };
  list('baseLoad', (x) => x > 0, 'factors > 0 on the client\'s rate');
  list('triggerRate', (x) => x >= 0, 'rates ≥ 0 (1/s)');
  list('triggerLength', (x) => x > 0, 'durations > 0 (s)');
  const opt = (name: keyof TriggerSweepOptions, ok: (x: number) => boolean, what: string) => {
    const x = opts[name];
    if (x !== undefined && (!isNum(x) || !ok(x))) issues.push({ path: `options.${name}`, message: `expected ${what}, got ${JSON.stringify(x)}` });
  };
  opt('at', (x) => x > 0, 'a duration > 0 (s)');
  opt('observe', (x) => x > 0, 'a duration > 0 (s)');
  opt('replications', (x) => Number.isInteger(x) && x >= 1, 'a whole number ≥ 1');
  opt('confidence', (x) => x > 0 && x < 1, 'a level strictly between 0 and 1');
  opt('bucket', (x) => x > 0, 'a duration > 0 (s)');
  opt('window', (x) => x > 0, 'a duration > 0 (s)');
  opt('tolerance', (x) => x > 0 && x < 1, 'a fraction strictly between 0 and 1');
  opt('slowFactor', (x) => x >= 0, 'a factor ≥ 0');
  opt('slowAfter', (x) => x >= 0, 'a duration ≥ 0 (s)');
  const found = findClient(model, opts.client, 'options.client');
  if (!found.ok) issues.push(...found.issues);
  if (issues.length > 0 || !found.ok) return { ok: false, issues };

  const cp = found.node.params;
  const lifetime = requestLifetime(cp);
  const wanted = opts.bucket ?? model.run.bucket;
  const window = opts.window ?? Math.max(5 * wanted, 4 * (cp.timeout ?? 0));
  const fault = model.faults.find((f) => f.target === found.node.id && f.action === 'rate');
  const at = opts.at ?? fault?.at ?? Math.max(60, 6 * window);
  const slowFactor = opts.slowFactor ?? 1;
  const minSlow = Number.isFinite(lifetime) ? 2 * lifetime : 0;

  const points: TriggerPoint[] = [];
  for (const baseLoad of grid.baseLoad) {
    for (const triggerRate of grid.triggerRate) {
      for (const triggerLength of grid.triggerLength) {
        // Recovery faster than the judging window cannot be told apart: never call it slow.
        const slowAfter = opts.slowAfter ?? Math.max(slowFactor * triggerLength, minSlow, window);
        const end = at + triggerLength;
        // Watch long enough to tell slow recovery from none: three thresholds and ten windows
        // by default, and never less than two windows.
        const observe = Math.max(opts.observe ?? Math.max(3 * slowAfter, 10 * window), 2 * window);
        points.push({ index: points.length, baseLoad, triggerRate, triggerLength, rate: cp.rate * baseLoad, end, slowAfter, until: end + observe });
      }
    }
  }
  const longest = Math.max(...points.map((p) => p.until));
  // One bucket for every point, so their series line up: as wanted, widened only if the longest
  // run would have more than MAX_BUCKETS.
  const bucket = longest / wanted > MAX_BUCKETS ? niceCeil(longest / MAX_BUCKETS) : wanted;
  if (window < bucket) {
    return issue('options.window', `the window (${window} s) is shorter than the bucket (${bucket} s); give a longer window or a shorter bucket`);
  }

  const x = metastabilityParamsFromModel(model, { client: found.node.id });
  const timeoutModel = opts.timeoutModel ?? 'erlang';
  return {
    ok: true,
    value: {
      model,
      client: { id: found.node.id, index: found.index, rate: cp.rate, timeout: cp.timeout, lifetime },
      at,
      replications: opts.replications ?? model.run.replications,
      confidence: opts.confidence ?? model.run.confidence,
      bucket,
      window,
      tolerance: opts.tolerance ?? 0.1,
      slowFactor,
      series: opts.series ?? false,
      points,
      analytic: x.ok
        ? { applicable: true, params: x.params, timeoutModel, notes: x.notes }
        : { applicable: false, notApplicable: x.notApplicable, path: x.path }
    }
  };
}

/**
 * The model simulated at one point: the client's rates × baseLoad, its `rate` faults replaced by
 * the trigger, no warm-up, the plan's bucket and the point's run length.
 */
export function triggerModel(plan: TriggerPlan, point: TriggerPoint): NormalizedModel {
  const base = plan.model;
  const c = base.nodes[plan.client.index];
  if (c.kind !== 'client') throw new Error('triggerModel: the plan does not match its model');
  const m = withNodeParams(base, plan.client.index, scaleClient(c.params, point.baseLoad));
  const trigger: NormalizedFault = { at: plan.at, for: point.triggerLength, target: plan.client.id, action: 'rate', value: point.triggerRate };
  return {
    ...m,
    faults: [...base.faults.filter((f) => !(f.target === plan.client.id && f.action === 'rate')), trigger],
    run: { ...base.run, until: point.until, warmup: 0, bucket: plan.bucket, replications: plan.replications, confidence: plan.confidence }
  };
}

/** The judging rules, for `classifyRecovery`. */
export interface RecoveryCriteria {
  window: number;
  tolerance: number;
  slowAfter: number;
}

/**
 * Class one replication from its client series (rates per bucket, as in `ClientSummary.series`).
 *
 * A window of w buckets (w = round(window / bucket), at least 1) is healthy when the goodput in
 * it is at least (1 − tolerance) × the offered load in it (a window with nothing offered is
 * healthy). Baseline: the buckets in [at/2, at) taken as one window; unhealthy → `overloaded`.
 * After the trigger, every window starting at a bucket edge from the trigger's end on is
 * judged: if the last window of the run is unhealthy → `metastable`; otherwise recovery is
 * at the bucket after the start of the last unhealthy window (or at the trigger's end if none),
 * which is within about tolerance × window of when degradation stopped. Recovery within
 * `slowAfter` of the trigger's end → `stable`, later → `vulnerable`.
 */
export function classifyRecovery(
  series: { bucket: number; offered: readonly number[]; goodput: readonly number[] },
  timing: { at: number; end: number },
  c: RecoveryCriteria
): { class: SimulatedClass; recoveryTime: number | null; baseline: { offered: number; goodput: number }; final: { offered: number; goodput: number } } {
  const b = series.bucket;
  const g = series.goodput;
  const a = series.offered;
  const n = Math.min(g.length, a.length);
  const w = Math.max(1, Math.round(c.window / b));
  const healthy = (from: number, to: number) => {
    const offered = sumRange(a, from, to);
    return offered <= 0 || sumRange(g, from, to) >= (1 - c.tolerance) * offered;
  };
  const rates = (from: number, to: number) => {
    const span = Math.max(1, to - from) * b;
    return { offered: (sumRange(a, from, to) * b) / span, goodput: (sumRange(g, from, to) * b) / span };
  };
  const k0 = bucketAt(timing.at / 2, b);
  const k1 = bucketAt(timing.at, b);
  const kLast = n - w;
  const baseline = rates(k0, k1);
  const final = rates(Math.max(0, kLast), n);
  if (k1 > k0 && !healthy(k0, k1)) return { class: 'overloaded', recoveryTime: null, baseline, final };
  const ke = Math.ceil(timing.end / b - 1e-9);
  if (kLast < ke) throw new RangeError('classifyRecovery: the series ends before one window after the trigger');
  let lastBad = -1;
  for (let k = kLast; k >= ke; k--) {
    if (!healthy(k, k + w)) {
      lastBad = k;
      break;
    }
  }
  if (lastBad === kLast) return { class: 'metastable', recoveryTime: null, baseline, final };
  const recoveredAt = lastBad < 0 ? timing.end : (lastBad + 1) * b;
  const recoveryTime = Math.max(0, recoveredAt - timing.end);
  return { class: recoveryTime <= c.slowAfter ? 'stable' : 'vulnerable', recoveryTime, baseline, final };
}

/** Simulate one replication of one point and class it. Pure: the same arguments give the same result. */
export function runTriggerReplication(plan: TriggerPlan, point: TriggerPoint, replication: number): TriggerReplication {
  const m = triggerModel(plan, point);
  const rep = runReplication(m, replication);
  const client = summarize(m, [rep]).clients?.[plan.client.id];
  if (!client) throw new Error(`runTriggerReplication: no client summary for "${plan.client.id}"`);
  const s = client.series;
  const r = classifyRecovery(s, { at: plan.at, end: point.end }, { window: plan.window, tolerance: plan.tolerance, slowAfter: point.slowAfter });
  return {
    replication,
    ...r,
    events: rep.events,
    ...(plan.series ? { series: { bucket: s.bucket, offered: s.offered, goodput: s.goodput } } : {})
  };
}

/** The cheap level at one point (fluid model of the loop at the point's base load). */
export function triggerAnalytic(plan: TriggerPlan, point: TriggerPoint): AnalyticPoint {
  if (!plan.analytic.applicable) return { applicable: false };
  const f = fluidModel({ ...plan.analytic.params, arrivalRate: plan.analytic.params.arrivalRate * point.baseLoad }, plan.analytic.timeoutModel);
  const eq = equilibria(f);
  const c = classifyTrigger(f, eq, { rate: point.triggerRate, duration: point.triggerLength });
  return { applicable: true, class: c.class, stuckExists: eq.some((e) => e.kind === 'stuck'), endOfTrigger: c.endOfTrigger, settleTime: c.settleTime };
}

/** Fold one point's replications (any order in, index order out). */
export function mergeTriggerPoint(plan: TriggerPlan, point: TriggerPoint, reps: TriggerReplication[], analytic = triggerAnalytic(plan, point)): TriggerPointResult {
  if (reps.length === 0) throw new Error('mergeTriggerPoint: no replications');
  const sorted = [...reps].sort((x, y) => x.replication - y.replication);
  const counts: Record<SimulatedClass, number> = { stable: 0, vulnerable: 0, metastable: 0, overloaded: 0 };
  for (const r of sorted) counts[r.class]++;
  let cls: SimulatedClass = 'stable';
  for (const c of CLASS_ORDER) if (counts[c] >= counts[cls]) cls = c;
  const recovered = sorted.filter((r) => r.recoveryTime !== null).map((r) => r.recoveryTime as number);
  const est = (xs: number[]): Estimate => {
    const e = estimate(xs, plan.confidence);
    return { mean: e.mean, ci: e.ci };
  };
  return {
    ...point,
    class: cls,
    counts,
    recoveryTime: recovered.length > 0 ? { ...est(recovered), recovered: recovered.length } : null,
    finalGoodput: est(sorted.map((r) => r.final.goodput)),
    finalOffered: est(sorted.map((r) => r.final.offered)),
    finalRatio: est(sorted.map((r) => (r.final.offered > 0 ? r.final.goodput / r.final.offered : 1))),
    analytic,
    agrees: analytic.applicable ? outcomeOf(cls) === outcomeOf(analytic.class) : null,
    replications: sorted
  };
}

/** Run the whole sweep in this thread, point by point (Node, tests; the page spreads points over workers). */
export function triggerSweep(
  model: NormalizedModel,
  grid: TriggerGrid,
  opts: TriggerSweepOptions = {},
  onPoint?: (p: TriggerPointResult, done: number, total: number) => void
): { ok: true; value: TriggerSweepResult } | { ok: false; issues: ModelIssue[] } {
  const planned = planTriggerSweep(model, grid, opts);
  if (!planned.ok) return planned;
  const plan = planned.value;
  const points = plan.points.map((p) => {
    const reps: TriggerReplication[] = [];
    for (let i = 0; i < plan.replications; i++) reps.push(runTriggerReplication(plan, p, i));
    const r = mergeTriggerPoint(plan, p, reps);
    onPoint?.(r, p.index + 1, plan.points.length);
    return r;
  });
  return { ok: true, value: sweepResult(plan, points) };
}

/** The result's header around merged points (for a runner that merged them itself). */
export function sweepResult(plan: TriggerPlan, points: TriggerPointResult[]): TriggerSweepResult {
  return {
    model: plan.model.name,
    client: plan.client.id,
    rate: plan.client.rate,
    at: plan.at,
    criteria: { bucket: plan.bucket, window: plan.window, tolerance: plan.tolerance, slowFactor: plan.slowFactor, lifetime: plan.client.lifetime },
    replications: plan.replications,
    confidence: plan.confidence,
    analytic: plan.analytic.applicable
      ? { applicable: true, timeoutModel: plan.analytic.timeoutModel, notes: plan.analytic.notes }
      : { applicable: false, notApplicable: plan.analytic.notApplicable },
    points: [...points].sort((x, y) => x.index - y.index)
  };
}
