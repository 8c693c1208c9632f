/**
 * The one line an engineer reads first: which node limits the system. The busiest node with
 * servers (server, cores, spawner, ...: whatever reports a utilisation) is the bottleneck when it
 * is nearly saturated; below that, the system has headroom and the line says how much. Pure, so
 * it is unit-tested without a page.
 */
import type { NormalizedModel } from '../../model/types.ts';
import type { Estimate, SimSummary } from '../../sim/results.ts';

/** At or above this utilisation a node is called saturated (it sets the throughput). */
export const SATURATED = 0.95;

export interface Bottleneck {
  id: string;
  label: string;
  kind: string;
  utilisation: Estimate;
  saturated: boolean;
  /** Completions per second summed over the model's sinks (NaN without a sink). */
  completions: number;
}

export function findBottleneck(summary: SimSummary, model: NormalizedModel): Bottleneck | null {
  let best: Bottleneck | null = null;
  for (const n of model.nodes) {
    const s = summary.nodes[n.id];
    if (!s || !Number.isFinite(s.utilisation.mean)) continue;
    if (best === null || s.utilisation.mean > best.utilisation.mean) {
      best = { id: n.id, label: n.label || n.id, kind: n.kind, utilisation: s.utilisation, saturated: s.utilisation.mean >= SATURATED, completions: NaN };
    }
  }
  if (best === null) return null;
  const sinks = model.nodes.filter((n) => n.kind === 'sink' && summary.nodes[n.id]);
  best.completions = sinks.length ? sinks.reduce((a, n) => a + summary.nodes[n.id].throughput.mean, 0) : NaN;
  return best;
}
