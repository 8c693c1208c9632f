/**
 * The stage catalogue as the shell panel's editor holds it: for some catalogue keys (`grep`, `*`…)
 * the rate text the user typed ("40 MB/s", "3 M lines/s"), and its reading into the
 * `StageCatalogue` that `pipelineToModel` merges over `DEFAULT_STAGE_CATALOGUE`. Pure, so it is
 * unit-tested; the panel keeps the texts for the session (ShellState) and in localStorage, which
 * is untrusted and read back through `loadEdits`.
 *
 * Only the rate and its unit are editable; `barrier` and `keeps` come from the default entry (or
 * `*` for a command the catalogue does not know). Bad text never reaches the model: a row whose
 * text does not parse is reported and left out of the catalogue.
 */
import { DEFAULT_STAGE_CATALOGUE, lookupStage, type StageCatalogue, type StageSpec } from './pipelineModel.ts';
import type { PipelineInfo } from './types.ts';

/** Catalogue key → the rate text typed for it. */
export type CatalogueEdits = Record<string, string>;

/** The localStorage key of the edits (`{ v: 1, rates: CatalogueEdits }`). */
export const CATALOGUE_STORAGE_KEY = 'systems-sandbox.shell-catalogue';

/** Longest rate text accepted (anything longer is not a rate). */
export const MAX_RATE_TEXT = 40;

/** Accepted ranges (a sanity bound, not physics): per stage, one core. */
export const RATE_LIMITS = {
  'bytes/s': { min: 1e3, max: 1e11, text: '1 kB/s and 100 GB/s' },
  'lines/s': { min: 10, max: 1e9, text: '10 lines/s and 1 G lines/s' }
} as const;

/**
 * A key that may be edited: `*` (other commands) or a command's name. `__proto__` is refused so a
 * plain object can hold the edits safely.
 */
const KEY = /^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,63}$/;
export const isEditableKey = (key: string): boolean => key === '*' || (KEY.test(key) && key !== '__proto__');

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

export type RateResult = { ok: true; rate: number; unit: StageSpec['unit'] } | { ok: false; message: string };

const PREFIX: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, KI: 1024, ki: 1024, Mi: 1048576, Gi: 1073741824, Ti: 1099511627776 };

/**
 * A rate as typed: a number, an optional SI (k M G T) or binary (Ki Mi Gi) prefix, a unit (B,
 * bytes, lines) and "/s" (or "/sec", "per second"): `40 MB/s`, `1.5GB/s`, `500 MiB/s`,
 * `3 M lines/s`, `2e6 lines/s`. The unit is required (a bare number is ambiguous); `b` (bits) and
 * `m` (milli) are refused with a hint, since they are the usual slips for B and M.
 */
export function parseRate(input: string): RateResult {
  const text = input.trim().replace(/\s+/g, ' ');
  if (text === '') return { ok: false, message: 'Empty: type a rate with its unit, such as 40 MB/s or 3 M lines/s.' };
  if (text.length > MAX_RATE_TEXT) return { ok: false, message: `Too long for a rate (${text.length} characters): type it as 40 MB/s or 3 M lines/s.` };
  const num = /^(\d+(?:\.\d*)?|\.\d+)(?:e([+-]?\d+))?/i.exec(text);
  if (!num) {
    return text.startsWith('-')
      ? { ok: false, message: `“${text}”: a rate must be positive.` }
      : { ok: false, message: `“${text}” does not start with a number: type it as 40 MB/s or 3 M lines/s.` };
  }
  const value = Number(num[0]);
  let rest = text.slice(num[0].length).trim();
  if (/^,\d/.test(rest)) return { ok: false, message: `“${text}”: write the number without separators (1000, or 1.5 with a point).` };
  const per = /\s*(?:\/\s*s(?:ec(?:ond)?)?|per s(?:ec(?:ond)?)?)$/i.exec(rest);
  if (!per) {
    return { ok: false, message: rest === '' ? `“${text}” needs a unit: ${text} MB/s, or ${text} lines/s?` : `“${text}”: a rate is per second; end it with /s, as in 40 MB/s.` };
  }
  rest = rest.slice(0, per.index).trim();
  const m = /^([kKMGT]i?|)\s*(B|[Bb]ytes?|[Ll]ines?)$/.exec(rest);
  if (!m) {
    if (/^([a-zA-Z]i?)?\s*(b|bits?)$/.test(rest)) return { ok: false, message: `“${text}”: b is bits; write B for bytes (MB/s).` };
    if (/^m\s*(B|[Bb]ytes?|[Ll]ines?)$/.test(rest)) return { ok: false, message: `“${text}”: m is milli; write M for mega (MB/s).` };
    if (rest === '') return { ok: false, message: `“${text}” needs a unit: B/s (bytes) or lines/s.` };
    return { ok: false, message: `“${text}”: “${rest}” is not a unit; use B/s (with k, M, G, Ki, Mi, Gi) or lines/s.` };
  }
  const unit: StageSpec['unit'] = /^[Ll]/.test(m[2]) ? 'lines/s' : 'bytes/s';
  if (unit === 'lines/s' && m[1].endsWith('i')) return { ok: false, message: `“${text}”: binary prefixes (Ki, Mi) are for bytes; write M lines/s.` };
  const rate = value * PREFIX[m[1]];
  if (!Number.isFinite(rate) || rate <= 0) return { ok: false, message: `“${text}”: a rate must be a positive number.` };
  const lim = RATE_LIMITS[unit];
  if (rate < lim.min || rate > lim.max) return { ok: false, message: `“${text}” is out of range: a stage's rate must be between ${lim.text}.` };
  return { ok: true, rate, unit };
}

/** A rate in the form `parseRate` reads back (to 4 significant digits): `40 MB/s`, `3 M lines/s`. */
export function formatRate(spec: { rate: number; unit: StageSpec['unit'] }, digits = 4): string {
  const r = spec.rate;
  const [x, p] = r >= 1e12 ? [r / 1e12, 'T'] : r >= 1e9 ? [r / 1e9, 'G'] : r >= 1e6 ? [r / 1e6, 'M'] : r >= 1e3 ? [r / 1e3, 'k'] : [r, ''];
  const n = Number(x.toPrecision(digits));
  return spec.unit === 'bytes/s' ? `${n} ${p}B/s` : `${n} ${p ? `${p} ` : ''}lines/s`;
}

export interface CatalogueIssue {
  key: string;
  message: string;
}

/** The default entry behind a key: its own, or `*` for a command the catalogue does not know. */
export const baseSpec = (key: string): StageSpec => (own(DEFAULT_STAGE_CATALOGUE, key) ? DEFAULT_STAGE_CATALOGUE[key] : DEFAULT_STAGE_CATALOGUE['*']);

/**
 * The catalogue to pass as `options.catalogue` (only the valid edits, each the default entry with
 * the new rate and unit) and the problems of the rest. An empty text for a command the default
 * catalogue does not know means "as other commands" (no entry), not an error.
 */
export function readEdits(edits: CatalogueEdits): { catalogue: StageCatalogue; issues: CatalogueIssue[] } {
  const catalogue: StageCatalogue = {};
  const issues: CatalogueIssue[] = [];
  for (const key of Object.keys(edits)) {
    const text = edits[key];
    if (!isEditableKey(key) || typeof text !== 'string') continue;
    if (text.trim() === '' && !own(DEFAULT_STAGE_CATALOGUE, key)) continue;
    const r = parseRate(text);
    if (!r.ok) {
      issues.push({ key, message: r.message });
      continue;
    }
    const base = baseSpec(key);
    if (r.rate === base.rate && r.unit === base.unit && own(DEFAULT_STAGE_CATALOGUE, key)) continue; // the default, typed again
    catalogue[key] = { ...base, rate: r.rate, unit: r.unit, why: `set in the shell panel (default ${formatRate(base)}: ${base.why})` };
  }
  return { catalogue, issues };
}

/** One editable row of a pipeline's catalogue editor. */
export interface CatalogueRow {
  /** Catalogue key: a command name, or `*` (other commands). */
  key: string;
  /** The stages (1-based) that use this row. */
  stages: number[];
  /** The text in the field: the edit, or the default's rate. */
  text: string;
  /** True when the text differs from the default (an edit the model will use, or a bad one). */
  edited: boolean;
  /** A command the default catalogue does not know: an empty field means "as other commands". */
  inherits: boolean;
  /** The one-line why of the default entry, and its rate (of `*` for an unknown command). */
  why: string;
  defaultText: string;
  /** The problem with the text, if any. */
  error: string | null;
}

/**
 * The rows for a pipeline: one per catalogue entry its stages use (aliases such as gawk share
 * awk's row; a command the default catalogue does not know gets its own row), in stage order,
 * then `*` (other commands).
 */
export function catalogueRows(pipeline: PipelineInfo, edits: CatalogueEdits): CatalogueRow[] {
  const { issues } = readEdits(edits);
  const byKey = new Map<string, number[]>();
  pipeline.stages.forEach((s, i) => {
    const found = lookupStage(s.command);
    let key = found.key;
    if (!found.known) key = s.command.slice(s.command.lastIndexOf('/') + 1);
    if (!isEditableKey(key)) key = '*';
    byKey.set(key, [...(byKey.get(key) ?? []), i + 1]);
  });
  if (!byKey.has('*')) byKey.set('*', []);
  const star = byKey.get('*')!;
  byKey.delete('*');
  byKey.set('*', star);
  return [...byKey].map(([key, stages]) => {
    const known = own(DEFAULT_STAGE_CATALOGUE, key);
    const base = baseSpec(key);
    const typed = own(edits, key) ? edits[key] : undefined;
    const text = typed ?? (known ? formatRate(base) : '');
    const parsed = typed === undefined ? null : parseRate(typed);
    const same = parsed?.ok === true && parsed.rate === base.rate && parsed.unit === base.unit;
    return {
      key,
      stages,
      text,
      edited: typed !== undefined && !same && !(!known && typed.trim() === ''),
      inherits: !known,
      why: base.why,
      defaultText: formatRate(base),
      error: issues.find((x) => x.key === key)?.message ?? null
    };
  });
}

/** The edits to store: only the valid ones (a half-typed rate is not saved). */
export function saveEdits(edits: CatalogueEdits): string {
  const rates: CatalogueEdits = {};
  for (const key of Object.keys(edits)) {
    const text = edits[key];
    if (isEditableKey(key) && typeof text === 'string' && parseRate(text).ok) rates[key] = text.trim();
  }
  return JSON.stringify({ v: 1, rates });
}

/**
 * The edits read back from storage (untrusted: another version, another tab, a hand edit). Every
 * entry is checked as if typed; anything else is dropped, and `dropped` says how many.
 */
export function loadEdits(raw: string | null): { edits: CatalogueEdits; dropped: number } {
  const edits: CatalogueEdits = {};
  if (raw === null || raw === '') return { edits, dropped: 0 };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { edits, dropped: 1 };
  }
  const rates = typeof data === 'object' && data !== null && (data as { v?: unknown }).v === 1 ? (data as { rates?: unknown }).rates : undefined;
  if (typeof rates !== 'object' || rates === null || Array.isArray(rates)) return { edits, dropped: 1 };
  let dropped = 0;
  for (const key of Object.keys(rates)) {
    const text = (rates as Record<string, unknown>)[key];
    if (isEditableKey(key) && typeof text === 'string' && parseRate(text).ok) edits[key] = text;
    else dropped++;
  }
  return { edits, dropped };
}
