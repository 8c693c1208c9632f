/**
 * What a sweep runs: one or two parameter axes with their values, the grid of models they
 * give (each through `load()`, so a refused value is a located message before anything runs),
 * and the metrics read at every point. Pure; SweepState (sweepState.svelte.ts) runs a plan on
 * the worker pool through `SimRunner.sweep`.
 *
 * Common random numbers: every point keeps the model's seed and runs replications 0…R−1, and a
 * node's random stream depends only on (seed, replication, node id), so the points differ by
 * the parameter only (src/lib/sim/sweep.ts).
 */
import { load } from '../model/index.ts';
import type { ModelDocument, ModelIssue, NormalizedModel, Result } from '../model/types.ts';
import { pow } from '../sim/detmath.ts';
import { metric, type Metric } from '../sim/sweep.ts';
import { LOAD_KEY, setParam, type NumericParam } from './params.ts';
import { scaleLoadDoc } from '../model/scaleLoad.ts';

export type Spacing = 'linear' | 'log';

export interface SweepAxis {
  param: NumericParam;
  values: number[];
}

export interface SweepPlanPoint {
  /** One value per axis, in axis order. */
  values: number[];
  model: NormalizedModel;
}

export interface SweepPlan {
  axes: SweepAxis[];
  /** Points in order: the first axis varies fastest. */
  points: SweepPlanPoint[];
  replications: number;
  /** The node and metric read at every point. */
  target: { node: string; metric: SweepMetricKey };
}

/** Most points in one sweep (two axes multiply). */
export const MAX_SWEEP_POINTS = 400;

/**
 * `steps` values from `from` to `to` (both included), evenly spaced or geometrically (log);
 * whole numbers are rounded and repeats removed.
 */
export function sweepValues(from: number, to: number, steps: number, spacing: Spacing = 'linear', integer = false): number[] {
  const n = Math.max(1, Math.floor(steps));
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const f = n === 1 ? 0 : i / (n - 1);
    // detmath's pow: the same point values in Node and in every browser.
    let v = spacing === 'log' ? from * pow(to / from, f) : from + (to - from) * f;
    // 12 significant digits: 0.6, not 0.6000000000000001, in tables and legends.
    v = i === n - 1 ? to : Number(v.toPrecision(12));
    if (integer) v = Math.round(v);
    if (!out.some((x) => x === v)) out.push(v);
  }
  return out;
}

/** Check a range in words; null when fine. */
export function checkRange(from: number, to: number, steps: number, spacing: Spacing): string | null {
  if (!Number.isFinite(from) || !Number.isFinite(to)) return 'the range needs two numbers';
  if (!(Number.isInteger(steps) && steps >= 1)) return 'steps must be a whole number ≥ 1';
  if (spacing === 'log' && !(from > 0 && to > 0)) return 'a log range needs values > 0';
  return null;
}

export type SweepMetricKey =
  | 'response'
  | 'p50'
  | 'p90'
  | 'p99'
  | 'p999'
  | 'throughput'
  | 'inSystem'
  | 'utilisation'
  | 'dropRate'
  | 'goodput'
  | 'amplification';

export interface SweepMetricDef {
  key: SweepMetricKey;
  label: string;
  /** For axes and legends: "W", "p99", "goodput". */
  short: string;
  kind: 'time' | 'rate' | 'number' | 'fraction';
  /** Whether the metric means something on a node of this kind. */
  applies: (kind: string) => boolean;
  make: (node: string) => Metric;
}

const any = () => true;
const QUANTILE = { p50: 0.5, p90: 0.9, p99: 0.99, p999: 0.999 } as const;

/** The metrics a sweep can plot. Times in seconds, rates per second. */
export const SWEEP_METRICS: readonly SweepMetricDef[] = [
  { key: 'response', label: 'W: mean time in node (end to end at a sink)', short: 'W', kind: 'time', applies: (k) => k !== 'client', make: metric.meanResponse },
  ...(['p50', 'p90', 'p99', 'p999'] as const).map(
    (p): SweepMetricDef => ({
      key: p,
      label: `${p === 'p999' ? 'p99.9' : p} of time in node`,
      short: p === 'p999' ? 'p99.9' : p,
      kind: 'time',
      applies: (k) => k !== 'client',
      make: (id) => metric.quantile(id, QUANTILE[p])
    })
  ),
  { key: 'throughput', label: 'Throughput (departures per second)', short: 'throughput', kind: 'rate', applies: any, make: metric.throughput },
  { key: 'inSystem', label: 'L: time-average number present', short: 'L', kind: 'number', applies: any, make: metric.inSystem },
  { key: 'utilisation', label: 'Utilisation per server', short: 'utilisation', kind: 'fraction', applies: (k) => k === 'server' || k === 'spawner' || k === 'batcher', make: metric.utilisation },
  {
    key: 'dropRate',
    label: 'Drops per second',
    short: 'drops/s',
    kind: 'rate',
    applies: any,
    make: (id) => (m) => m.node(id).drops.reduce((a, b) => a + b, 0) / m.span
  },
  {
    key: 'goodput',
    label: 'Goodput (successes within the deadline per second)',
    short: 'goodput',
    kind: 'rate',
    applies: (k) => k === 'client',
    make: (id) => (m) => (m.node(id).extras.good?.value ?? NaN) / m.span
  },
  {
    key: 'amplification',
    label: 'Attempts per request',
    short: 'attempts per request',
    kind: 'number',
    applies: (k) => k === 'client',
    make: (id) => (m) => {
      const n = m.node(id);
      return n.arrivals > 0 ? (n.extras.attempts?.value ?? NaN) / n.arrivals : NaN;
    }
  }
];

export function sweepMetric(key: SweepMetricKey): SweepMetricDef {
  const d = SWEEP_METRICS.find((m) => m.key === key);
  if (!d) throw new Error(`unknown sweep metric "${key}"`);
  return d;
}

/** Describe one axis value in a message: "srv · service.mean = 0.4". */
function at(axes: SweepAxis[], values: number[]): string {
  return axes.map((a, i) => `${a.param.label} = ${values[i]}`).join(', ');
}

/**
 * Build the grid: each point is the document with the axes' values set, loaded again. The run
 * settings may be overridden for the whole sweep (a shorter `until`). A value the model refuses
 * makes the whole plan fail with the point and the located issue.
 */
export function planSweep(
  doc: ModelDocument,
  model: NormalizedModel,
  axes: SweepAxis[],
  opts: { replications: number; until?: number; target: SweepPlan['target'] }
): Result<SweepPlan> {
  const issues: ModelIssue[] = [];
  if (axes.length < 1 || axes.length > 2) return { ok: false, issues: [{ path: 'sweep', message: 'sweep one or two parameters' }] };
  if (axes.some((a) => a.values.length === 0)) return { ok: false, issues: [{ path: 'sweep', message: 'every parameter needs at least one value' }] };
  if (axes.length === 2 && axes[0].param.key === axes[1].param.key)
    return { ok: false, issues: [{ path: 'sweep', message: 'pick two different parameters' }] };
  const count = axes.reduce((n, a) => n * a.values.length, 1);
  if (count > MAX_SWEEP_POINTS) return { ok: false, issues: [{ path: 'sweep', message: `${count} points is more than ${MAX_SWEEP_POINTS}; use fewer steps` }] };
  if (!model.nodes.some((n) => n.id === opts.target.node)) return { ok: false, issues: [{ path: 'sweep', message: `no node "${opts.target.node}" to measure` }] };

  const base: ModelDocument = opts.until === undefined ? doc : { ...doc, run: { ...(doc.run ?? {}), until: opts.until } };
  const grid: number[][] = [];
  const second = axes[1]?.values ?? [NaN];
  for (const v2 of second) for (const v1 of axes[0].values) grid.push(axes.length === 2 ? [v1, v2] : [v1]);

  const points: SweepPlanPoint[] = [];
  for (const values of grid) {
    let d = base;
    try {
      axes.forEach((a, i) => {
        d = a.param.key === LOAD_KEY ? scaleLoadDoc(d, model, values[i]) : setParam(d, model, a.param.node, a.param.path, values[i]);
      });
    } catch (e) {
      issues.push({ path: 'sweep', message: `${at(axes, values)}: ${e instanceof Error ? e.message : String(e)}` });
      break;
    }
    const r = load(d);
    if (!r.ok) {
      for (const i of r.issues) issues.push({ path: i.path, message: `at ${at(axes, values)}: ${i.message}` });
      break;
    }
    points.push({ values, model: r.value.model });
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { axes, points, replications: Math.max(1, Math.floor(opts.replications)), target: opts.target } };
}
