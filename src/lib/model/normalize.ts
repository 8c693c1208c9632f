/**
 * A valid document → the normalised model the engine and the analysis read: base units, every
 * default filled, distributions canonical, edges parsed, unknown fields dropped (except inside
 * params of kinds that still keep them, see kinds/fieldTable.ts).
 *
 * Call only with a document that passed `validate` (restore.ts does); a value that does not
 * convert here is a bug and throws, which the public functions turn into an issue.
 */
import { RUN_DEFAULT_UNTIL } from './document.ts';
import { toBase } from './fields.ts';
import { parsePortRef } from './graph.ts';
import { KINDS } from './kinds/index.ts';
import type { KindDef } from './kinds/kind.ts';
import type {
  ModelDocument,
  NormalizedEdge,
  NormalizedFault,
  NormalizedModel,
  NormalizedNode,
  RunSettings
} from './types.ts';

/** Most time-series buckets in one run; the bucket is widened to stay under it. */
export const MAX_BUCKETS = 2000;

export const RUN_DEFAULTS: Readonly<RunSettings> = Object.freeze({
  until: RUN_DEFAULT_UNTIL,
  warmup: 'auto',
  seed: 1,
  replications: 10,
  confidence: 0.95,
  bucket: 1
});

/** The smallest 1, 2 or 5 × 10^k that is ≥ x (x > 0). */
export function niceCeil(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return x;
  const exp = Math.floor(Math.log10(x));
  for (let e = exp - 1; e <= exp + 1; e++) {
    for (const m of [1, 2, 5]) {
      const candidate = Number((m * 10 ** e).toPrecision(12));
      // Tolerate rounding: 0.3 / 2000 should not round up past a step it equals.
      if (candidate >= x * (1 - 1e-12)) return candidate;
    }
  }
  return 10 ** (exp + 1);
}

/**
 * The bucket width actually used: the written (or default 1 s) width, widened to the next
 * 1-2-5 step when the run would otherwise have more than MAX_BUCKETS buckets.
 */
export function effectiveBucket(until: number, bucket: number): number {
  return until / bucket > MAX_BUCKETS ? niceCeil(until / MAX_BUCKETS) : bucket;
}

export function normalizeRun(run: ModelDocument['run']): RunSettings {
  const r = run ?? {};
  const d = RUN_DEFAULTS;
  const until = r.until === undefined ? d.until : toBase('duration', r.until);
  const bucket = r.bucket === undefined ? d.bucket : toBase('duration', r.bucket);
  return {
    until,
    warmup: r.warmup === undefined || r.warmup === 'auto' ? 'auto' : toBase('duration', r.warmup),
    seed: r.seed ?? d.seed,
    replications: r.replications ?? d.replications,
    confidence: r.confidence ?? d.confidence,
    bucket: effectiveBucket(until, bucket)
  };
}

export function normalizeValidated(doc: ModelDocument): NormalizedModel {
  const nodes = doc.nodes.map((node): NormalizedNode => {
    const def = KINDS[node.kind] as KindDef;
    return {
      id: node.id,
      kind: node.kind,
      label: node.label ?? node.id,
      params: def.normalize(node.params)
    } as NormalizedNode;
  });

  const edges = doc.edges.map((edge): NormalizedEdge => {
    const from = parsePortRef(edge.from);
    const to = parsePortRef(edge.to);
    if (!from || !to) throw new Error(`bug: unvalidated edge ${edge.id}`);
    return { id: edge.id, from, to, weight: edge.weight ?? 1 };
  });

  const faults = (doc.faults ?? []).map((f): NormalizedFault => {
    let value = NaN;
    switch (f.action) {
      case 'rate':
        value = toBase('rate', f.value);
        break;
      case 'slowdown':
        value = f.value as number; // a bare factor (the schema allows only a number)
        break;
      case 'latency':
        value = toBase('duration', f.value);
        break;
      case 'crash':
        // Which replica to crash; NaN = the leader at the time (cores: not simulated yet).
        value = typeof f.value === 'number' ? f.value : NaN;
        break;
      case 'pause':
      case 'flush':
        break;
      default: {
        const never: never = f.action;
        throw new Error(`bug: unknown fault action ${String(never)}`);
      }
    }
    return { at: toBase('duration', f.at), for: toBase('duration', f.for), target: f.target, action: f.action, value };
  });

  return { name: doc.name ?? '', run: normalizeRun(doc.run), nodes, edges, faults };
}
