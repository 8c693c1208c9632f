/**
 * Typed parameter fields for the inspector, read from the model layer's own schemas so the
 * editor never keeps a second list of params: each kind's valibot params schema is walked
 * once, and every entry is classified by its schema (a choice, a quantity with its unit, a
 * count, a distribution...) and its description, which fields.ts keeps in a fixed form
 * ("a duration ≥ 0 like "100 ms"", "a whole number ≥ 1 or "infinite""). Anything else (lists,
 * nested objects) is edited as JSON.
 *
 * Values are validated by the model layer (`validate` on a one-node document), so the inspector
 * shows exactly the located message a file with that value would get, and an invalid value
 * never reaches the document.
 */
import * as v from 'valibot';
import { descriptionOf } from '../model/fields.ts';
import { DurationDist, SizeDist, normalizeDist, DIST_NAMES, type DistUnit } from '../model/dist.ts';
import { KINDS } from '../model/kinds/index.ts';
import { validate } from '../model/restore.ts';
import { formatQuantity, formatNumber, type UnitKind } from '../model/units.ts';
import { MODEL_FORMAT, MODEL_VERSION, type Dist, type DistInput, type ModelDocument, type ModelIssue, type NodeKind } from '../model/types.ts';

export type FieldType =
  | { type: 'choice'; options: readonly string[] }
  | { type: 'quantity'; unit: UnitKind; words: readonly string[] }
  | { type: 'count'; min: number; infinite: boolean }
  | { type: 'number'; integer: boolean }
  | { type: 'bool' }
  | { type: 'string' }
  | { type: 'dist'; unit: DistUnit }
  | { type: 'json' };

export interface ParamField {
  key: string;
  field: FieldType;
  /** What a valid value looks like, from the schema ("a rate ≥ 0 like "5/s""). */
  description: string;
  /** The default in readable form, shown as the placeholder; '' when it depends on other params. */
  defaultText: string;
  /** The unit shown beside the field ("/s", "s", "B", "bit/s"), or ''. */
  unitHint: string;
}

type AnySchema = { type: string; wrapped?: AnySchema; options?: unknown[]; entries?: Record<string, AnySchema>; pipe?: unknown[] };

const UNIT_HINT: Record<UnitKind, string> = { duration: 's', rate: '/s', size: 'B', bandwidth: 'bit/s' };

function unwrap(s: AnySchema): AnySchema {
  let cur = s;
  while ((cur.type === 'optional' || cur.type === 'nullish' || cur.type === 'nullable') && cur.wrapped) cur = cur.wrapped;
  return cur;
}

/** Classify one params entry. */
export function classify(schema: unknown): { field: FieldType; description: string } {
  const s = unwrap(schema as AnySchema);
  const description = descriptionOf(s) ?? '';
  if ((s as unknown) === DurationDist) return { field: { type: 'dist', unit: 'duration' }, description };
  if ((s as unknown) === SizeDist) return { field: { type: 'dist', unit: 'size' }, description };
  if (s.type === 'picklist') return { field: { type: 'choice', options: (s.options ?? []) as string[] }, description };
  if (s.type === 'boolean') return { field: { type: 'bool' }, description };
  if (s.type === 'string') return { field: { type: 'string' }, description };
  if (s.type === 'number') {
    return { field: { type: 'number', integer: description.startsWith('a whole number') }, description };
  }
  const unit = /^an? (duration|rate|size|bandwidth) /.exec(description);
  if (s.type === 'union' && unit) {
    const words = [...description.matchAll(/ or "([^"]+)"/g)].map((m) => m[1]);
    return { field: { type: 'quantity', unit: unit[1] as UnitKind, words }, description };
  }
  const count = /^a whole number ≥ (\d+) or "infinite"$/.exec(description);
  if (s.type === 'union' && count) return { field: { type: 'count', min: Number(count[1]), infinite: true }, description };
  return { field: { type: 'json' }, description };
}

function entriesOf(kind: NodeKind): Record<string, AnySchema> {
  return ((KINDS[kind].params as unknown as AnySchema).entries ?? {}) as Record<string, AnySchema>;
}

const fieldCache = new Map<NodeKind, ParamField[]>();

/** The fields of a kind, in schema order. */
export function paramFields(kind: NodeKind): ParamField[] {
  const hit = fieldCache.get(kind);
  if (hit) return hit;
  const defaults = KINDS[kind].defaults as Record<string, unknown>;
  const out: ParamField[] = Object.entries(entriesOf(kind)).map(([key, schema]) => {
    const { field, description } = classify(schema);
    return {
      key,
      field,
      description,
      defaultText: formatDefault(field, defaults[key]),
      unitHint: field.type === 'quantity' ? UNIT_HINT[field.unit] : field.type === 'dist' ? (field.unit === 'size' ? 'B' : 's') : ''
    };
  });
  fieldCache.set(kind, out);
  return out;
}

/** A JSON text where Infinity reads "infinite" (as the document writes it). */
function jsonText(x: unknown): string {
  return JSON.stringify(x, (_k, val: unknown) => (val === Infinity ? 'infinite' : val));
}

/** A normalised distribution in words: "exp, mean 500 ms". */
export function distText(d: Dist, unit: DistUnit = 'duration'): string {
  const q = (x: number) => formatQuantity(unit, x);
  switch (d.dist) {
    case 'det':
      return q(d.value);
    case 'exp':
      return `exp, mean ${q(d.mean)}`;
    case 'uniform':
      return `uniform ${q(d.min)}–${q(d.max)}`;
    case 'erlang':
      return `Erlang-${d.k}, mean ${q(d.mean)}`;
    case 'hyperexp':
      return `hyperexponential, ${d.p.length} phases`;
    case 'lognormal':
      return `lognormal, median ${q(d.median)}, p99 ${q(d.p99)}`;
    case 'pareto':
      return `Pareto α ${formatNumber(d.alpha)}, min ${q(d.min)}`;
    case 'weibull':
      return `Weibull shape ${formatNumber(d.shape)}, scale ${q(d.scale)}`;
    case 'bimodal':
      return `bimodal: ${distText(d.fast, unit)}, ${formatNumber(d.p * 100)}% ${distText(d.slow, unit)}`;
    case 'empirical':
      return `empirical, ${d.samples.length} samples`;
  }
}

/** The default of a param in the form a person would type it. */
export function formatDefault(field: FieldType, value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'none';
  if (value === Infinity) return 'infinite';
  switch (field.type) {
    case 'quantity':
      return typeof value === 'number' ? formatQuantity(field.unit, value) : String(value);
    case 'dist':
      return typeof value === 'object' ? distText(value as Dist, field.unit) : String(value);
    case 'json':
      return jsonText(value);
    default:
      return String(value);
  }
}

/** The document value of a param as text for an input (the value as written). */
export function valueText(field: FieldType, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (field.type === 'json' || (typeof value === 'object' && field.type !== 'dist')) return jsonText(value);
  if (field.type === 'dist') return typeof value === 'object' ? jsonText(value) : String(value);
  return String(value);
}

const NUMERIC = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/**
 * What typed text means for a field: undefined (empty: remove the param, so its default
 * applies), or the value to write. Text that is not a valid value is still returned as written
 * (a string), so that validation reports it with its located message; only JSON that does
 * not parse fails here.
 */
export function parseFieldText(field: FieldType, text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  switch (field.type) {
    case 'quantity':
    case 'count':
    case 'number':
      return { ok: true, value: NUMERIC.test(t) ? Number(t) : t };
    case 'bool':
      return { ok: true, value: t === 'true' ? true : t === 'false' ? false : t };
    case 'choice':
    case 'string':
      return { ok: true, value: field.type === 'string' ? text : t };
    case 'dist':
      if (t.startsWith('{')) return parseJson(t);
      return { ok: true, value: NUMERIC.test(t) ? Number(t) : t };
    case 'json':
      return parseJson(t);
  }
}

function parseJson(t: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(t) };
  } catch (e) {
    return { ok: false, message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * Validate one node's params as the document would be validated, with paths located in `doc`
 * (`nodes[3].params.rate: expected a rate ≥ 0 like "5/s", got "fast"`). Only the node is
 * checked, so this stays fast on a model of 1,000 nodes.
 */
export function validateNodeParams(doc: ModelDocument, nodeIndex: number, params: Record<string, unknown>): ModelIssue[] {
  const node = doc.nodes[nodeIndex];
  const probe = { format: MODEL_FORMAT, version: MODEL_VERSION, nodes: [{ ...node, params }], edges: [] };
  const r = validate(probe);
  if (r.ok) return [];
  return r.issues.map((i) => ({ ...i, path: i.path.replace(/^nodes\[0\]/, `nodes[${nodeIndex}]`) }));
}

/* ------------------------------------------------------------------------------------------
 * Distributions in the inspector.
 * ---------------------------------------------------------------------------------------- */

export type DistName = (typeof DIST_NAMES)[number];
export { DIST_NAMES };

/** The fields of each distribution: q = a quantity of the distribution's unit. */
export type DistFieldKind = 'q' | 'number' | 'int' | 'probability' | 'qlist' | 'numlist' | 'dist';

export const DIST_FIELDS: Record<DistName, readonly { key: string; kind: DistFieldKind; label: string }[]> = {
  det: [{ key: 'value', kind: 'q', label: 'value' }],
  exp: [{ key: 'mean', kind: 'q', label: 'mean' }],
  uniform: [
    { key: 'min', kind: 'q', label: 'min' },
    { key: 'max', kind: 'q', label: 'max' }
  ],
  erlang: [
    { key: 'k', kind: 'int', label: 'phases k' },
    { key: 'mean', kind: 'q', label: 'mean' }
  ],
  hyperexp: [
    { key: 'p', kind: 'numlist', label: 'probabilities' },
    { key: 'means', kind: 'qlist', label: 'means' }
  ],
  lognormal: [
    { key: 'median', kind: 'q', label: 'median' },
    { key: 'p99', kind: 'q', label: 'p99' }
  ],
  pareto: [
    { key: 'alpha', kind: 'number', label: 'shape α' },
    { key: 'min', kind: 'q', label: 'min' }
  ],
  weibull: [
    { key: 'shape', kind: 'number', label: 'shape' },
    { key: 'scale', kind: 'q', label: 'scale' }
  ],
  bimodal: [
    { key: 'p', kind: 'probability', label: 'P(slow)' },
    { key: 'fast', kind: 'dist', label: 'fast' },
    { key: 'slow', kind: 'dist', label: 'slow' }
  ],
  empirical: [{ key: 'samples', kind: 'qlist', label: 'samples' }]
};

export const DIST_TITLES: Record<DistName, string> = {
  det: 'fixed',
  exp: 'exponential',
  uniform: 'uniform',
  erlang: 'Erlang',
  hyperexp: 'hyperexponential',
  lognormal: 'lognormal',
  pareto: 'Pareto',
  weibull: 'Weibull',
  bimodal: 'bimodal',
  empirical: 'empirical'
};

/**
 * A distribution of `name` with about the mean `m` (base units), to start from when the user
 * switches the kind of distribution: the mean is kept where the shape allows.
 */
export function distWithMean(name: DistName, m: number, unit: DistUnit = 'duration'): DistInput {
  const q = (x: number) => formatQuantity(unit, x, { digits: 6 });
  const mean = m > 0 && Number.isFinite(m) ? m : unit === 'size' ? 1024 : 0.1;
  switch (name) {
    case 'det':
      return { dist: 'det', value: q(mean) };
    case 'exp':
      return { dist: 'exp', mean: q(mean) };
    case 'uniform':
      return { dist: 'uniform', min: q(0), max: q(2 * mean) };
    case 'erlang':
      return { dist: 'erlang', k: 2, mean: q(mean) };
    case 'hyperexp':
      return { dist: 'hyperexp', p: [0.9, 0.1], means: [q(mean / 2), q(5.5 * mean)] };
    case 'lognormal':
      return { dist: 'lognormal', median: q(mean), p99: q(5 * mean) };
    case 'pareto':
      return { dist: 'pareto', alpha: 3, min: q((2 * mean) / 3) };
    case 'weibull':
      return { dist: 'weibull', shape: 1.5, scale: q(mean) };
    case 'bimodal':
      return { dist: 'bimodal', p: 0.1, fast: q(mean / 2), slow: q(5.5 * mean) };
    case 'empirical':
      return { dist: 'empirical', samples: [q(mean / 2), q(mean), q(1.5 * mean)] };
  }
}

/** The distribution a value stands for, normalised, or null when it is not valid. */
export function readDist(value: unknown, unit: DistUnit = 'duration'): Dist | null {
  const schema = unit === 'size' ? SizeDist : DurationDist;
  const r = v.safeParse(schema, value, { abortPipeEarly: true });
  if (!r.success) return null;
  try {
    return normalizeDist(r.output, unit);
  } catch {
    return null;
  }
}

/** The name of a written distribution (a bare quantity is "det"). */
export function distNameOf(value: unknown): DistName | null {
  if (typeof value === 'number' || typeof value === 'string') return 'det';
  const name = (value as { dist?: unknown } | null)?.dist;
  return (DIST_NAMES as readonly unknown[]).includes(name) ? (name as DistName) : null;
}

/** A list typed as "1 ms, 2 ms, 5 ms" → ["1 ms", "2 ms", "5 ms"] (numbers as numbers). */
export function parseListText(text: string): unknown[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => (NUMERIC.test(s) ? Number(s) : s));
}
