/**
 * What the user downloads: results as JSON (the CLI's `--json --series` report, docs/cli.md,
 * so a file from the page and one from `npm run sim` read the same way) and as CSV (one row per
 * node and measure, numbers in base units). Pure functions; the page turns them into files.
 */
import { analyze } from '../analysis/index.ts';
import type { NormalizedModel } from '../model/index.ts';
import type { Estimate, NodeSummary, SimSummary, TimeSummary } from '../sim/results.ts';

/** The results report, as `sandbox-sim --json --series` writes it. NaN is written as null. */
export function resultsReport(model: NormalizedModel, summary: SimSummary): Record<string, unknown> {
  const { series, ...rest } = summary;
  let analytic: unknown = {};
  try {
    analytic = analyze(model).nodes;
  } catch {
    // The theory column is a bonus; a failing analysis must not cost the user the results.
    analytic = {};
  }
  return { format: 'systems-sandbox/results', version: 1, ...rest, analytic, series };
}

/** JSON text of the report (two-space indent, final newline). */
export function resultsJson(model: NormalizedModel, summary: SimSummary): string {
  return JSON.stringify(resultsReport(model, summary), null, 2) + '\n';
}

export const CSV_HEADER = ['node', 'kind', 'measure', 'unit', 'mean', 'ci_low', 'ci_high'] as const;

function csvField(x: string | number): string {
  if (typeof x === 'number') return Number.isFinite(x) ? String(x) : '';
  // Quote what would break a row; a leading = + - @ would be run as a formula by spreadsheets.
  const t = /^[=+\-@\t\r]/.test(x) ? `'${x}` : x;
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/**
 * One row per node and measure: counts per replication, throughput in 1/s, times in seconds.
 * Rows follow the model's node order. Empty cells where a value is undefined (NaN).
 */
export function resultsCsv(model: NormalizedModel, summary: SimSummary): string {
  const rows: (string | number)[][] = [[...CSV_HEADER]];
  const est = (n: NodeSummary, measure: string, unit: string, e: Estimate | undefined) => {
    if (e) rows.push([n.id, n.kind, measure, unit, e.mean, e.ci[0], e.ci[1]]);
  };
  const time = (n: NodeSummary, prefix: string, t: TimeSummary | undefined) => {
    if (!t) return;
    est(n, prefix, 's', t);
    for (const p of ['p50', 'p90', 'p95', 'p99', 'p999'] as const) {
      const ci = t.percentileCi?.[p] ?? [NaN, NaN];
      rows.push([n.id, n.kind, `${prefix}_${p}`, 's', t[p], ci[0], ci[1]]);
    }
  };
  const ordered = [...model.nodes.map((m) => m.id).filter((id) => summary.nodes[id]), ...Object.keys(summary.nodes).filter((id) => !model.nodes.some((m) => m.id === id))];
  for (const id of ordered) {
    const n = summary.nodes[id];
    est(n, 'arrivals', 'per replication', n.arrivals);
    est(n, 'departures', 'per replication', n.departures);
    est(n, 'dropped', 'per replication', n.dropped);
    est(n, 'throughput', '1/s', n.throughput);
    est(n, 'in_system', 'requests', n.inSystem);
    est(n, 'utilisation', 'fraction', n.utilisation);
    time(n, 'response', n.response);
    time(n, 'wait', n.wait);
    if (n.station) {
      est(n, 'station_in_system', 'requests', n.station.inSystem);
      time(n, 'station_response', n.station.response);
    }
  }
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** A file name from a model name: letters, digits, dashes; never empty. */
export function fileNameFor(name: string, suffix: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_]+/g, '-')
    .replace(/-+/g, '-')
    .toLowerCase()
    .slice(0, 60)
    .replace(/^-|-$/g, '');
  return `${base || 'model'}${suffix}`;
}
