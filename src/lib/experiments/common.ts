/**
 * Shared pieces of the experiments: finding the client an experiment drives, scaling its load,
 * laying buckets on the experiment's phases, a request's longest life, and intervals.
 *
 * Pure TypeScript (no DOM, no clock, no randomness: every draw is the engine's, from the
 * model's seed). Everything here works on the normalised model, in base units.
 */
import { MAX_BUCKETS } from '../model/normalize';
import type { ClientParams, ModelIssue, NormalizedModel, NormalizedNode } from '../model/types';
import { paired, type MetricResult } from '../sim/sweep';

export type ClientNode = Extract<NormalizedNode, { kind: 'client' }>;

/** `{ ok: false, issues }` with one located issue. */
export function issue(path: string, message: string): { ok: false; issues: ModelIssue[] } {
  return { ok: false, issues: [{ path, message }] };
}

/**
 * The client an experiment drives: `id`, or the first open client of the model. Its load must
 * scale by a factor: open mode with `rate` (Poisson, deterministic or MMPP), not an explicit
 * inter-arrival distribution (whose scaling would change its shape's meaning).
 */
export function findClient(model: NormalizedModel, id: string | undefined, path: string): { ok: true; index: number; node: ClientNode } | { ok: false; issues: ModelIssue[] } {
  // Without an id: the first open client, else the first client (whose mode is then reported).
  let index = id === undefined ? model.nodes.findIndex((n) => n.kind === 'client' && n.params.mode === 'open') : model.nodes.findIndex((n) => n.id === id);
  if (index < 0 && id === undefined) index = model.nodes.findIndex((n) => n.kind === 'client');
  if (index < 0) {
    return id === undefined
      ? issue('nodes', 'the model has no client to drive (an experiment scales an open client\'s rate)')
      : issue(path, `the model has no node "${id}" (clients: ${model.nodes.filter((n) => n.kind === 'client').map((n) => n.id).join(', ') || 'none'})`);
  }
  const node = model.nodes[index];
  if (node.kind !== 'client') return issue(path, `"${node.id}" is a ${node.kind}, not a client`);
  if (node.params.mode !== 'open') return issue(`nodes[${index}].params.mode`, `client "${node.id}" is closed; an experiment scales an open client's rate`);
  if (node.params.interarrival !== null) {
    return issue(`nodes[${index}].params.interarrival`, `client "${node.id}" has an explicit inter-arrival distribution; give it a rate (and a process) so its load can be scaled`);
  }
  if (!(node.params.rate > 0)) return issue(`nodes[${index}].params.rate`, `client "${node.id}" has rate 0; an experiment scales a positive rate`);
  return { ok: true, index, node };
}

/** The client's params with every rate (base, MMPP burst, schedule) multiplied by `factor`. */
export function scaleClient(p: ClientParams, factor: number): ClientParams {
  return {
    ...p,
    rate: p.rate * factor,
    mmpp: p.mmpp ? { ...p.mmpp, burstRate: p.mmpp.burstRate * factor } : null,
    schedule: p.schedule.map((s) => ({ at: s.at, rate: s.rate * factor }))
  };
}

/** A copy of the model with node `index`'s params replaced. */
export function withNodeParams(model: NormalizedModel, index: number, params: ClientParams): NormalizedModel {
  const nodes = model.nodes.slice();
  const n = nodes[index];
  if (n.kind !== 'client') throw new Error('withNodeParams: not a client');
  nodes[index] = { ...n, params };
  return { ...model, nodes };
}

/**
 * The longest a logical request can live: every attempt's timeout plus the longest backoff
 * before each retry (the largest value the backoff and its jitter can take). Infinity when the
 * client has no timeout (nothing bounds a request's life).
 */
export function requestLifetime(p: ClientParams): number {
  if (p.timeout === null) return Infinity;
  const r = p.retry;
  if (r === null) return p.timeout;
  let total = r.maxAttempts * p.timeout;
  const b = r.backoff;
  let previous = b.base;
  // base·multiplier^(k−1) by repeated products, so Node and every browser get the same bits.
  let grown = b.base;
  for (let k = 1; k < r.maxAttempts; k++, grown *= b.multiplier) {
    let wait: number;
    switch (b.kind) {
      case 'none':
        wait = 0;
        break;
      case 'constant':
        wait = b.base;
        break;
      case 'exponential':
        wait = Math.min(b.cap, grown);
        break;
    }
    if (r.jitter === 'decorrelated' && b.kind !== 'none') {
      // min(cap, U(base, 3·previous)): at most 3·previous, which grows by 3 per retry.
      wait = Math.min(b.cap, Math.max(b.base, 3 * previous));
      previous = wait;
    }
    total += wait;
  }
  return total;
}

/**
 * A bucket width that divides `unit` (so phases of that length start on bucket edges), close to
 * `wanted` and with at most MAX_BUCKETS buckets over `until`.
 */
export function alignedBucket(unit: number, wanted: number, until: number): number {
  const perUnit = Math.max(1, Math.round(unit / wanted));
  let b = unit / perUnit;
  if (until / b > MAX_BUCKETS) {
    // Fewer buckets per unit: the largest whole division of `unit` that fits.
    const maxPerUnit = Math.max(1, Math.floor((MAX_BUCKETS * unit) / until));
    b = unit / Math.min(perUnit, maxPerUnit);
    if (until / b > MAX_BUCKETS + 1e-9) b = until / MAX_BUCKETS; // unit longer than the cap allows
  }
  return b;
}

/** Mean of `values` with its Student-t interval at `confidence` (the engine's meanCI, via `paired`). */
export function estimate(values: number[], confidence: number): MetricResult {
  const zero: MetricResult = { mean: 0, ci: [0, 0], values };
  return paired(zero, zero, (x) => x, confidence);
}

/** Sum of xs[from..to) (bucket indices clipped to the series). */
export function sumRange(xs: readonly number[], from: number, to: number): number {
  let s = 0;
  for (let k = Math.max(0, from); k < Math.min(xs.length, to); k++) s += xs[k];
  return s;
}

/** The index of the bucket containing time t (buckets [k·b, (k+1)·b)), robust to rounding. */
export function bucketAt(t: number, bucket: number): number {
  return Math.floor(t / bucket + 1e-9);
}
