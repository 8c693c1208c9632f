/**
 * The analytic values shown beside the simulated ones: `analyze()` (src/lib/analysis) read into
 * one flat record per node id. Field names are those of the simulator's NodeSummary (the
 * analysis layer's invariant), so the table compares them mechanically.
 *
 * A value the analysis does not know is absent and the table shows nothing beside the
 * simulated one. An unstable station (no steady state) has no values, only its note. An
 * analysis that throws is shown as a note, never as a broken page.
 */
import { analyze } from '../analysis/index.ts';
import type { AnalyticNode } from '../analysis/types.ts';
import type { NormalizedModel } from '../model/types.ts';

export interface AnalyticValues {
  throughput?: number;
  utilisation?: number;
  inSystem?: number;
  response?: number;
  wait?: number;
  p50?: number;
  p90?: number;
  p95?: number;
  p99?: number;
  p999?: number;
  pBlock?: number;
  stationInSystem?: number;
  stationResponse?: number;
  /** The closed form used, e.g. "M/M/1". */
  formula?: string;
  /** False when the analysis finds no steady state (ρ ≥ 1); the numbers are then absent. */
  stable?: boolean;
  note?: string;
}

export type AnalyticByNode = Record<string, AnalyticValues>;

function read(a: AnalyticNode): AnalyticValues {
  const out: AnalyticValues = { formula: a.formula, stable: a.stable };
  if (a.note) out.note = a.note;
  if (!a.stable) return out;
  const set = (key: keyof AnalyticValues, v: number | undefined) => {
    if (typeof v === 'number' && !Number.isNaN(v)) (out as Record<string, unknown>)[key] = v;
  };
  set('throughput', a.throughput);
  set('utilisation', a.utilisation);
  set('inSystem', a.inSystem);
  set('response', a.response);
  set('wait', a.wait);
  set('pBlock', a.pBlock);
  set('p50', a.responseQuantiles?.p50);
  set('p90', a.responseQuantiles?.p90);
  set('p95', a.responseQuantiles?.p95);
  set('p99', a.responseQuantiles?.p99);
  set('p999', a.responseQuantiles?.p999);
  set('stationInSystem', a.station?.inSystem);
  set('stationResponse', a.station?.response);
  return out;
}

/** Per node id, the analytic values that exist. */
export function analyticByNode(model: NormalizedModel): { values: AnalyticByNode; error: string | null } {
  try {
    const report = analyze(model);
    const values: AnalyticByNode = {};
    for (const node of model.nodes) {
      const a = report.nodes[node.id];
      if (a) values[node.id] = read(a);
    }
    return { values, error: null };
  } catch (e) {
    return { values: {}, error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The analytic value of one measure of one node (a field of AnalyticValues, e.g. "response",
 * "p99", "throughput"), or null where the analysis has none. For sweeps: one call per point.
 */
export function analyticValue(model: NormalizedModel, node: string, key: string): number | null {
  const v = (analyticByNode(model).values[node] as Record<string, unknown> | undefined)?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
