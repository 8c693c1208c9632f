/**
 * Hysteresis: ramp the offered load up in steps and back down (a rate `schedule` on the client),
 * and compare goodput at each load on the way up with goodput at the same load on the way down.
 * A system with one steady state per load gives the same answer both ways; a metastable one is
 * still stuck on the way down at loads it handled on the way up (PAPERS.md §6: history decides).
 *
 * Phases, each `dwell` seconds: levels from `from` to `to` (factors on the client's rate,
 * `steps` of them, evenly spaced), then back down without repeating the peak:
 * from … to … from, 2·steps − 1 phases. Each phase is measured after `settle` × dwell (the
 * transient after the step is not a steady state). One replication is one whole ramp (history
 * matters, so the phases of a ramp cannot be split); `runHysteresisReplication(plan, i)` is pure,
 * so a runner may spread replications over workers and merge them with `mergeHysteresis`.
 */
import type { ModelIssue, NormalizedModel } from '../model/types';
import { equilibria, fluidModel, metastabilityParamsFromModel, type MetastabilityParams, type TimeoutModel } from '../analysis/metastability/index';
import { runReplication, summarize } from '../sim/index';
import type { Estimate } from '../sim/results';
import { alignedBucket, estimate, findClient, sumRange, withNodeParams } from './common';

export interface HysteresisSpec {
  /** First (and last) level, a factor on the client's rate. */
  from: number;
  /** Peak level, a factor on the client's rate. */
  to: number;
  /** Levels from `from` to `to`, both included (≥ 2). */
  steps: number;
  /** Time at each level, s. */
  dwell: number;
}

export interface HysteresisOptions {
  client?: string;
  /** Replications (default: the model's; at least 2 to have intervals). */
  replications?: number;
  confidence?: number;
  /** Fraction of each dwell skipped before measuring (default 0.5). */
  settle?: number;
  /** Bucket, s (default dwell / 20, adjusted to divide the dwell). */
  bucket?: number;
  timeoutModel?: TimeoutModel;
}

export interface HysteresisPlan {
  model: NormalizedModel;
  client: { id: string; index: number; rate: number };
  spec: HysteresisSpec;
  /** Factor of each phase in time order (up, then down). */
  phases: number[];
  settle: number;
  bucket: number;
  until: number;
  replications: number;
  confidence: number;
  analytic: { applicable: true; params: MetastabilityParams; timeoutModel: TimeoutModel } | { applicable: false; notApplicable: string };
}

/** One phase of one replication, rates per second over its measured part. */
export interface PhaseMeasure {
  offered: number;
  goodput: number;
  attempts: number;
}

export interface HysteresisReplication {
  replication: number;
  phases: PhaseMeasure[];
  events: number;
}

export interface StepStats {
  goodput: Estimate;
  offered: Estimate;
  attempts: Estimate;
  /** goodput / offered per replication. */
  ratio: Estimate;
}

export interface HysteresisLevel {
  factor: number;
  /** Offered rate at this level, 1/s. */
  rate: number;
  up: StepStats;
  /** null at the peak (visited once). */
  down: StepStats | null;
  /** Goodput up − down, paired by replication (common random numbers); null at the peak. */
  difference: Estimate | null;
  /** The intervals of up and down goodput do not overlap (false with fewer than 2 replications). */
  differs: boolean;
  /** The fluid model at this load (when it applies): which steady states exist. */
  analytic: { drained: boolean; stuck: boolean } | null;
}

export interface HysteresisResult {
  model: string;
  client: string;
  rate: number;
  spec: HysteresisSpec;
  settle: number;
  bucket: number;
  replications: number;
  confidence: number;
  levels: HysteresisLevel[];
  /** Factors where up and down differ beyond their intervals. */
  differsAt: number[];
  analytic: { applicable: true; timeoutModel: TimeoutModel } | { applicable: false; notApplicable: string };
  runs: HysteresisReplication[];
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

export function planHysteresis(
  model: NormalizedModel,
  spec: HysteresisSpec,
  opts: HysteresisOptions = {}
): { ok: true; value: HysteresisPlan } | { ok: false; issues: ModelIssue[] } {
  const issues: ModelIssue[] = [];
  const need = (path: string, x: unknown, ok: boolean, what: string) => {
    if (!ok) issues.push({ path, message: `expected ${what}, got ${JSON.stringify(x)}` });
  };
  need('spec.from', spec.from, isNum(spec.from) && spec.from > 0, 'a factor > 0 on the client\'s rate');
  need('spec.to', spec.to, isNum(spec.to) && spec.to > 0, 'a factor > 0 on the client\'s rate');
  need('spec.steps', spec.steps, Number.isInteger(spec.steps) && spec.steps >= 2 && spec.steps <= 200, 'a whole number of levels from 2 to 200');
  need('spec.dwell', spec.dwell, isNum(spec.dwell) && spec.dwell > 0, 'a duration > 0 (s)');
  const o = opts;
  if (o.replications !== undefined) need('options.replications', o.replications, Number.isInteger(o.replications) && o.replications >= 1, 'a whole number ≥ 1');
  if (o.confidence !== undefined) need('options.confidence', o.confidence, isNum(o.confidence) && o.confidence > 0 && o.confidence < 1, 'a level strictly between 0 and 1');
  if (o.settle !== undefined) need('options.settle', o.settle, isNum(o.settle) && o.settle >= 0 && o.settle < 1, 'a fraction in [0, 1)');
  if (o.bucket !== undefined) need('options.bucket', o.bucket, isNum(o.bucket) && o.bucket > 0, 'a duration > 0 (s)');
  const found = findClient(model, opts.client, 'options.client');
  if (!found.ok) issues.push(...found.issues);
  if (issues.length > 0 || !found.ok) return { ok: false, issues };

  const up = Array.from({ length: spec.steps }, (_, k) => (spec.from * (spec.steps - 1 - k) + spec.to * k) / (spec.steps - 1));
  const phases = [...up, ...up.slice(0, -1).reverse()];
  const until = phases.length * spec.dwell;
  const bucket = alignedBucket(spec.dwell, opts.bucket ?? spec.dwell / 20, until);
  const x = metastabilityParamsFromModel(model, { client: found.node.id });
  return {
    ok: true,
    value: {
      model,
      client: { id: found.node.id, index: found.index, rate: found.node.params.rate },
      spec: { ...spec },
      phases,
      settle: opts.settle ?? 0.5,
      bucket,
      until,
      replications: opts.replications ?? model.run.replications,
      confidence: opts.confidence ?? model.run.confidence,
      analytic: x.ok ? { applicable: true, params: x.params, timeoutModel: opts.timeoutModel ?? 'erlang' } : { applicable: false, notApplicable: x.notApplicable }
    }
  };
}

/**
 * The model of the ramp: the client's rate follows the phases (a schedule; its own schedule and
 * its `rate` faults are replaced, since either would fight the ramp); other faults are kept.
 */
export function hysteresisModel(plan: HysteresisPlan): NormalizedModel {
  const base = plan.model;
  const c = base.nodes[plan.client.index];
  if (c.kind !== 'client') throw new Error('hysteresisModel: the plan does not match its model');
  // The schedule sets the base rate (an MMPP client's "off" rate; its burst rate is kept).
  const params = {
    ...c.params,
    rate: plan.client.rate * plan.phases[0],
    schedule: plan.phases.map((f, k) => ({ at: k * plan.spec.dwell, rate: plan.client.rate * f }))
  };
  const m = withNodeParams(base, plan.client.index, params);
  return {
    ...m,
    faults: base.faults.filter((f) => !(f.target === plan.client.id && f.action === 'rate')),
    run: { ...base.run, until: plan.until, warmup: 0, bucket: plan.bucket, replications: plan.replications, confidence: plan.confidence }
  };
}

/** One whole ramp; pure. */
export function runHysteresisReplication(plan: HysteresisPlan, replication: number): HysteresisReplication {
  const m = hysteresisModel(plan);
  const rep = runReplication(m, replication);
  const client = summarize(m, [rep]).clients?.[plan.client.id];
  if (!client) throw new Error(`runHysteresisReplication: no client summary for "${plan.client.id}"`);
  const s = client.series;
  const perPhase = Math.round(plan.spec.dwell / plan.bucket);
  const skip = Math.min(perPhase - 1, Math.ceil(plan.settle * perPhase - 1e-9));
  const phases = plan.phases.map((_, k) => {
    const from = k * perPhase + skip;
    const to = (k + 1) * perPhase;
    const n = to - from;
    const rate = (xs: number[]) => sumRange(xs, from, to) / n;
    return { offered: rate(s.offered), goodput: rate(s.goodput), attempts: rate(s.attempts) };
  });
  return { replication, phases, events: rep.events };
}

export function mergeHysteresis(plan: HysteresisPlan, reps: HysteresisReplication[]): HysteresisResult {
  if (reps.length === 0) throw new Error('mergeHysteresis: no replications');
  const runs = [...reps].sort((a, b) => a.replication - b.replication);
  const conf = plan.confidence;
  const est = (xs: number[]): Estimate => {
    const e = estimate(xs, conf);
    return { mean: e.mean, ci: e.ci };
  };
  const stats = (k: number): StepStats => ({
    goodput: est(runs.map((r) => r.phases[k].goodput)),
    offered: est(runs.map((r) => r.phases[k].offered)),
    attempts: est(runs.map((r) => r.phases[k].attempts)),
    ratio: est(runs.map((r) => (r.phases[k].offered > 0 ? r.phases[k].goodput / r.phases[k].offered : 1)))
  });
  const steps = plan.spec.steps;
  const last = plan.phases.length - 1;
  const fluidAt = (factor: number) => {
    if (!plan.analytic.applicable) return null;
    const p = plan.analytic.params;
    const eq = equilibria(fluidModel({ ...p, arrivalRate: p.arrivalRate * factor }, plan.analytic.timeoutModel));
    return { drained: eq.some((e) => e.kind === 'drained'), stuck: eq.some((e) => e.kind === 'stuck') };
  };
  const levels: HysteresisLevel[] = [];
  for (let k = 0; k < steps; k++) {
    const factor = plan.phases[k];
    const up = stats(k);
    const downIndex = k === steps - 1 ? -1 : last - k;
    const down = downIndex < 0 ? null : stats(downIndex);
    let difference: Estimate | null = null;
    let differs = false;
    if (down) {
      difference = est(runs.map((r) => r.phases[k].goodput - r.phases[downIndex].goodput));
      differs = runs.length >= 2 && (up.goodput.ci[0] > down.goodput.ci[1] || down.goodput.ci[0] > up.goodput.ci[1]);
    }
    levels.push({ factor, rate: plan.client.rate * factor, up, down, difference, differs, analytic: fluidAt(factor) });
  }
  return {
    model: plan.model.name,
    client: plan.client.id,
    rate: plan.client.rate,
    spec: plan.spec,
    settle: plan.settle,
    bucket: plan.bucket,
    replications: runs.length,
    confidence: conf,
    levels,
    differsAt: levels.filter((l) => l.differs).map((l) => l.factor),
    analytic: plan.analytic.applicable ? { applicable: true, timeoutModel: plan.analytic.timeoutModel } : { applicable: false, notApplicable: plan.analytic.notApplicable },
    runs
  };
}

/** The whole experiment in this thread. */
export function hysteresis(
  model: NormalizedModel,
  spec: HysteresisSpec,
  opts: HysteresisOptions = {}
): { ok: true; value: HysteresisResult } | { ok: false; issues: ModelIssue[] } {
  const planned = planHysteresis(model, spec, opts);
  if (!planned.ok) return planned;
  const plan = planned.value;
  const reps: HysteresisReplication[] = [];
  for (let i = 0; i < plan.replications; i++) reps.push(runHysteresisReplication(plan, i));
  return { ok: true, value: mergeHysteresis(plan, reps) };
}
