/**
 * "Total load × k": every open client offers k times its arrivals, whatever drives them — a rate,
 * an MMPP's burst rate, a rate schedule's steps, or an explicit inter-arrival distribution (whose
 * times are divided by k). Closed clients are left alone: their load is set by users and think
 * time, not by a rate. Used by the CLI (`--set load=0.5`, `--sweep load=...`) and by the browser's
 * parameter sweep (the "total load" axis), so both scale a model the same way.
 */
import type { ClientParams, Dist, ModelDocument, NormalizedModel } from './types.ts';

/** A distribution of times with every time multiplied by `k` > 0 (its shape unchanged). */
export function scaleDist(d: Dist, k: number): Dist {
  switch (d.dist) {
    case 'det':
      return { dist: 'det', value: d.value * k };
    case 'exp':
      return { dist: 'exp', mean: d.mean * k };
    case 'uniform':
      return { dist: 'uniform', min: d.min * k, max: d.max * k };
    case 'erlang':
      return { dist: 'erlang', k: d.k, mean: d.mean * k };
    case 'hyperexp':
      return { dist: 'hyperexp', p: [...d.p], means: d.means.map((m) => m * k) };
    case 'lognormal':
      return { dist: 'lognormal', median: d.median * k, p99: d.p99 * k };
    case 'pareto':
      return { dist: 'pareto', alpha: d.alpha, min: d.min * k };
    case 'weibull':
      return { dist: 'weibull', shape: d.shape, scale: d.scale * k };
    case 'bimodal':
      return { dist: 'bimodal', p: d.p, fast: scaleDist(d.fast, k), slow: scaleDist(d.slow, k) };
    case 'empirical':
      return { dist: 'empirical', samples: d.samples.map((x) => x * k) };
  }
}

/** The arrival settings of one open client at `factor` times its load (normalised form). */
export function scaledArrivals(p: ClientParams, factor: number): Pick<ClientParams, 'rate' | 'mmpp' | 'schedule' | 'interarrival'> {
  return {
    rate: p.rate * factor,
    mmpp: p.mmpp ? { ...p.mmpp, burstRate: p.mmpp.burstRate * factor } : null,
    schedule: p.schedule.map((s) => ({ at: s.at, rate: s.rate * factor })),
    interarrival: p.interarrival ? scaleDist(p.interarrival, 1 / factor) : null
  };
}

function checkFactor(factor: number): void {
  if (!(factor > 0) || !Number.isFinite(factor)) throw new RangeError(`load factor must be a number > 0, got ${factor}`);
}

/** A copy of a normalised model with every open client's load multiplied by `factor`. */
export function scaleLoad(model: NormalizedModel, factor: number): NormalizedModel {
  checkFactor(factor);
  if (factor === 1) return model;
  return {
    ...model,
    nodes: model.nodes.map((n) => (n.kind === 'client' && n.params.mode === 'open' ? { ...n, params: { ...n.params, ...scaledArrivals(n.params, factor) } } : n))
  };
}

/**
 * The same on a document: the open clients' arrival settings are written in base units (a number
 * of seconds or 1/s is a valid document value), taken from the normalised `model` so a client
 * that leaves its rate to the default is scaled too. Load the result again to use it.
 */
export function scaleLoadDoc(doc: ModelDocument, model: NormalizedModel, factor: number): ModelDocument {
  checkFactor(factor);
  const out = structuredClone(doc);
  for (const node of out.nodes) {
    const n = model.nodes.find((m) => m.id === node.id);
    if (!n || n.kind !== 'client' || n.params.mode !== 'open') continue;
    const s = scaledArrivals(n.params, factor);
    const params = { ...((node.params ?? {}) as Record<string, unknown>) };
    params.rate = s.rate;
    if (s.mmpp) params.mmpp = s.mmpp;
    if (s.schedule.length) params.schedule = s.schedule;
    if (s.interarrival) params.interarrival = s.interarrival;
    node.params = params as typeof node.params;
  }
  return out;
}
