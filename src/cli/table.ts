/** The CLI's human-readable report: one row per node, the analytic answer beside where known. */
import type { NormalizedModel } from '../lib/model/types';
import type { AnalyticReport } from '../lib/analysis/index';
import type { Estimate, SimSummary, TimeSummary } from '../lib/sim/results';
import { formatDuration } from '../lib/model/units';

function num(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-3) return x.toExponential(2);
  return Number(x.toPrecision(digits)).toString();
}

function pm(e: Estimate, digits = 4): string {
  if (!Number.isFinite(e.mean)) return '—';
  const h = (e.ci[1] - e.ci[0]) / 2;
  return h > 0 ? `${num(e.mean, digits)} ±${num(h, 2)}` : num(e.mean, digits);
}

function dur(x: number): string {
  return Number.isFinite(x) ? formatDuration(x) : '—';
}

function durPm(t: TimeSummary): string {
  if (!Number.isFinite(t.mean)) return '—';
  const h = (t.ci[1] - t.ci[0]) / 2;
  return h > 0 ? `${dur(t.mean)} ±${dur(h)}` : dur(t.mean);
}

export function formatTable(model: NormalizedModel, s: SimSummary, analytic: AnalyticReport): string {
  const head = ['node', 'kind', 'X (/s)', 'L', 'W', 'p50', 'p99', 'U', 'drops'];
  const rows: string[][] = [head];
  for (const n of model.nodes) {
    const r = s.nodes[n.id];
    if (!r) continue;
    rows.push([
      n.id,
      n.kind,
      pm(r.throughput),
      pm(r.inSystem),
      durPm(r.response),
      dur(r.response.p50),
      dur(r.response.p99),
      pm(r.utilisation, 3),
      num(r.dropped.mean)
    ]);
    if (r.station) {
      rows.push(['  station', '', '', pm(r.station.inSystem), durPm(r.station.response), dur(r.station.response.p50), dur(r.station.response.p99), '', '']);
    }
    const a = analytic.nodes[n.id];
    if (a && a.stable) {
      rows.push([
        `  ${a.formula}`,
        'theory',
        num(a.throughput ?? NaN),
        num(a.inSystem ?? NaN),
        dur(a.response ?? NaN),
        dur(a.responseQuantiles?.p50 ?? NaN),
        dur(a.responseQuantiles?.p99 ?? NaN),
        num(a.utilisation ?? NaN, 3),
        a.pBlock !== undefined ? `P=${num(a.pBlock, 3)}` : ''
      ]);
      if (a.station) rows.push(['  station', 'theory', '', num(a.station.inSystem ?? NaN), dur(a.station.response ?? NaN), '', '', '', '']);
    } else if (a && !a.stable) {
      rows.push([`  ${a.formula}`, 'theory', 'unstable', '', '', '', '', '', a.note ?? '']);
    }
  }
  const widths = head.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((w) => '─'.repeat(w)).join('  '));
  const ci = Math.round(s.confidence * 100);
  // Clients with a timeout or retries: their view of logical requests (docs/cli.md, `clients`).
  const clientLines = model.nodes.flatMap((n) => {
    const c = s.clients?.[n.id];
    if (n.kind !== 'client' || !c || (n.params.timeout === null && n.params.retry === null)) return [];
    return [
      `${n.id}: offered ${pm(c.offered)}/s, goodput ${pm(c.goodput)}/s, attempts per request ${pm(c.amplification)}, ` +
        `success ${num(c.successRatio.mean)}; per replication: ${num(c.timeouts.mean)} timeouts, ${num(c.retries.mean)} retries, ` +
        `${num(c.wasted.mean)} wasted`
    ];
  });
  // Kind-specific measures (cores' CPU split, batcher estimate, replicas availability...): one
  // line per node, per-core details left to the JSON.
  const extraLines = model.nodes.flatMap((n) => {
    const x = s.nodes[n.id]?.extras;
    if (!x || n.kind === 'client') return []; // clients: the line above, when they retry
    const shown = Object.entries(x).filter(([name]) => !/^core\d+\./.test(name));
    if (shown.length === 0) return [];
    const fmt = (name: string, e: Estimate) => (name === 'estimateW' ? `${name} ${durPm(e as TimeSummary)}` : `${name} ${pm(e, 3)}`);
    const line = `${n.id}: ${shown.map(([name, e]) => fmt(name, e)).join(', ')}`;
    if (n.kind === 'batcher') {
      const sink = model.nodes.find((m) => m.kind === 'sink');
      const w = sink ? s.nodes[sink.id]?.response : undefined;
      return [w ? `${line} (measured end to end at ${sink!.id}: ${durPm(w)})` : line];
    }
    return [line];
  });
  return [
    `${s.model || 'model'} — ${s.replications} replication(s) of ${dur(s.until)}, warm-up ${dur(s.warmup)} deleted, seed ${s.seed}`,
    `(± is the half-width of the ${ci}% confidence interval; "theory" rows are closed forms)`,
    '',
    ...lines,
    ...(clientLines.length > 0 ? ['', ...clientLines] : []),
    ...(extraLines.length > 0 ? ['', ...extraLines] : []),
    '',
    `${s.events.toLocaleString('en-US')} events, ${Math.round(s.eventsPerSecond).toLocaleString('en-US')} events/s (engine loop)`
  ].join('\n');
}

/**
 * A sweep as one table: a row per value of the swept parameter, with each sink's end-to-end
 * mean (± its interval), p50 and p99 and throughput, and the drops over all nodes.
 */
export function formatSweep(
  parameter: string,
  points: { value: unknown; model: NormalizedModel; summary: SimSummary }[]
): string {
  const sinks = points[0].model.nodes.filter((n) => n.kind === 'sink').map((n) => n.id);
  const head = [parameter, ...sinks.flatMap((id) => [`${id} W`, 'p50', 'p99', 'X (/s)']), 'drops'];
  const rows: string[][] = [head];
  for (const p of points) {
    const row = [typeof p.value === 'string' ? p.value : JSON.stringify(p.value)];
    for (const id of sinks) {
      const s = p.summary.nodes[id];
      row.push(s ? durPm(s.response) : '—', s ? dur(s.response.p50) : '—', s ? dur(s.response.p99) : '—', s ? pm(s.throughput) : '—');
    }
    const drops = Object.values(p.summary.nodes)
      .filter((n) => n.kind !== 'client')
      .reduce((a, n) => a + n.dropped.mean, 0);
    row.push(num(drops));
    rows.push(row);
  }
  const widths = head.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((w) => '─'.repeat(w)).join('  '));
  const s0 = points[0].summary;
  return [
    `${s0.model || 'model'}: sweep of ${parameter} — ${s0.replications} replication(s) of ${dur(s0.until)} per point, seed ${s0.seed} at every point (common random numbers)`,
    '',
    ...lines
  ].join('\n');
}
