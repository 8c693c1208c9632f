/**
 * Parameter sweeps: run one model at a list of parameter values and collect metrics, each with
 * its confidence interval, per point. Pure and clock-free like the rest of the engine, so the
 * CLI, the tests and (later) the UI share it.
 *
 * Common random numbers come for free: every point runs with the model's seed and replication
 * indices 0..R−1, and a node's random stream depends only on (seed, replication, node id). So
 * as long as `apply` keeps node ids, replication i of every point sees the same arrivals and
 * the same service draws wherever the draws line up; compare two points replication by
 * replication (`paired`) for intervals much narrower than the two separate ones.
 *
 * Metrics are read per replication over the same measured interval the summary uses (its
 * common warm-up), so a metric's mean equals the summary's figure where both exist.
 */
import type { NormalizedModel, NormalizedNode } from '../model/types';
import type { MeasuredWindow, NodeResult, ReplicationResult } from './engine';
import { LogHistogram } from './histogram';
import { runReplication } from './index';
import type { Estimate, SimSummary } from './results';
import { meanCI } from './stats';
import { summarize } from './summary';

/** One replication's measurements after the common warm-up. */
export interface Measured {
  replication: number;
  /** Length of the measured interval [warmup, until], seconds. */
  span: number;
  /** The node's measurements; throws a clear error for an unknown id. */
  node(id: string): NodeResult;
}

/** A number read from one replication. */
export type Metric = (m: Measured) => number;

export interface MetricResult extends Estimate {
  /** The metric in each replication, by replication index. */
  values: number[];
}

export interface SweepPoint<V> {
  value: V;
  model: NormalizedModel;
  summary: SimSummary;
  metrics: Record<string, MetricResult>;
}

export interface SweepOptions {
  /** Replications per point (default: the model's). */
  replications?: number;
  /** Confidence of the intervals (default: the model's run.confidence). */
  confidence?: number;
  /** Events per `advance` call (never changes the numbers). */
  slice?: number;
}

/** Ready-made metrics. Times in seconds, rates per second. */
export const metric = {
  /** Mean time in node (for a sink: end-to-end). */
  meanResponse:
    (id: string): Metric =>
    (m) =>
      LogHistogram.fromJSON(m.node(id).response).mean,
  /** Quantile q of the time in node (histogram: within 1% relative). */
  quantile:
    (id: string, q: number): Metric =>
    (m) =>
      LogHistogram.fromJSON(m.node(id).response).quantile(q),
  meanWait:
    (id: string): Metric =>
    (m) =>
      LogHistogram.fromJSON(m.node(id).wait).mean,
  /** Departures (completions at a sink) per second. */
  throughput:
    (id: string): Metric =>
    (m) =>
      m.node(id).departures / m.span,
  /** Busy fraction per server. */
  utilisation:
    (id: string): Metric =>
    (m) => {
      const n = m.node(id);
      return n.busyArea / (m.span * n.servers);
    },
  inSystem:
    (id: string): Metric =>
    (m) =>
      m.node(id).area / m.span,
  /** A kind-specific extra: a count per replication, or the time average of a 'time' extra. */
  extra:
    (id: string, name: string): Metric =>
    (m) => {
      const e = m.node(id).extras[name];
      if (!e) throw new Error(`node "${id}" has no extra measure "${name}"`);
      return e.kind === 'time' ? e.value / m.span : e.value;
    }
};

/** Summarise replications and read the metrics over the summary's measured interval. */
export function measure(
  model: NormalizedModel,
  reps: ReplicationResult[],
  metrics: Record<string, Metric>,
  confidence = model.run.confidence
): { summary: SimSummary; metrics: Record<string, MetricResult> } {
  const summary = summarize(model, reps);
  const measured = reps.map((r) => measuredAt(r, summary.warmup));
  const out: Record<string, MetricResult> = {};
  for (const [name, f] of Object.entries(metrics)) {
    const values = measured.map(f);
    const ci = meanCI(values, confidence);
    out[name] = { mean: ci.mean, ci: [ci.ci[0], ci.ci[1]], values };
  }
  return { summary, metrics: out };
}

/** Run every replication of one model and measure it. */
export function runPoint(
  model: NormalizedModel,
  metrics: Record<string, Metric>,
  opts: SweepOptions = {}
): { summary: SimSummary; metrics: Record<string, MetricResult> } {
  const R = opts.replications ?? model.run.replications;
  const reps: ReplicationResult[] = [];
  for (let i = 0; i < R; i++) reps.push(runReplication(model, i, opts.slice));
  return measure(model, reps, metrics, opts.confidence ?? model.run.confidence);
}

/**
 * Run `apply(base, v)` for each value v (same seed, same replications: common random numbers)
 * and collect the metrics at each point.
 */
export function sweep<V>(
  base: NormalizedModel,
  values: readonly V[],
  apply: (model: NormalizedModel, value: V) => NormalizedModel,
  metrics: Record<string, Metric>,
  opts: SweepOptions = {}
): SweepPoint<V>[] {
  return values.map((value) => {
    const model = apply(base, value);
    return { value, model, ...runPoint(model, metrics, opts) };
  });
}

/**
 * A paired comparison over replications: the mean of f(a_i, b_i) with its interval (a ratio or
 * a difference of two metrics measured with common random numbers).
 */
export function paired(
  a: MetricResult,
  b: MetricResult,
  f: (x: number, y: number) => number,
  confidence: number
): MetricResult {
  if (a.values.length !== b.values.length) throw new Error('paired: the two metrics have different replication counts');
  const values = a.values.map((x, i) => f(x, b.values[i]));
  const ci = meanCI(values, confidence);
  return { mean: ci.mean, ci: [ci.ci[0], ci.ci[1]], values };
}

/**
 * A copy of the model with some params of one node replaced (values in base units, as in the
 * normalised model). Throws for an unknown node id.
 */
export function withParams(model: NormalizedModel, id: string, patch: Record<string, unknown>): NormalizedModel {
  let found = false;
  const nodes = model.nodes.map((n) => {
    if (n.id !== id) return n;
    found = true;
    return { ...n, params: { ...n.params, ...patch } } as NormalizedNode;
  });
  if (!found) throw new Error(`withParams: the model has no node "${id}"`);
  return { ...model, nodes };
}

/** The replication measured after `warmup` (one of its candidate cuts). */
function measuredAt(r: ReplicationResult, warmup: number): Measured {
  let w: MeasuredWindow | undefined = { warmup: r.warmup, systemArea: r.systemArea, nodes: r.nodes };
  if (Math.abs(r.warmup - warmup) > 1e-9 * Math.max(1, warmup)) {
    w = r.windows.find((x) => Math.abs(x.warmup - warmup) <= 1e-9 * Math.max(1, warmup));
  }
  if (!w) throw new Error(`replication ${r.replication} has no measurements after a warm-up of ${warmup} s`);
  const nodes = w.nodes;
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  return {
    replication: r.replication,
    span: r.until - w.warmup,
    node(id: string): NodeResult {
      const i = index.get(id);
      if (i === undefined) throw new Error(`the model has no node "${id}"`);
      return nodes[i];
    }
  };
}
