/**
 * For kinds whose behaviour lands in later issues (cores, nic, batcher, spawner, replicas,
 * cache): a table of known params, each with its schema, its default and its conversion to
 * base units. The normalised form (`OtherParams`) is every param as written (unknown ones
 * kept), with the known ones converted and defaults filled.
 */
import * as v from 'valibot';
import type { OtherParams } from '../types.ts';
import { obj } from '../fields.ts';

export interface FieldSpec<T = unknown> {
  schema: v.GenericSchema<T>;
  /** Filled in when the field is omitted (a fresh copy each time); no default: left out. */
  default?: unknown;
  /** Validated value → normalised value (default: a copy). */
  convert?: (x: T) => unknown;
}

/** Type helper: keeps `convert`'s parameter typed by the schema. */
export function field<T>(schema: v.GenericSchema<T>, spec: Omit<FieldSpec<T>, 'schema'> = {}): FieldSpec<T> {
  return { schema, ...spec };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Specs = Record<string, FieldSpec<any>>;

/** The params schema: every field optional, unknown fields kept. */
export function tableSchema<S extends Specs>(specs: S, what: string) {
  const entries: Record<string, v.GenericSchema> = {};
  for (const [key, spec] of Object.entries(specs)) entries[key] = v.optional(spec.schema as v.GenericSchema);
  return obj(entries as { [K in keyof S]: v.OptionalSchema<v.GenericSchema, undefined> }, what);
}

/** Validated params → converted params with defaults filled; unknown fields copied. */
export function normalizeTable(specs: Specs, params: Record<string, unknown>): OtherParams {
  const out = structuredClone(params) as OtherParams;
  for (const [key, spec] of Object.entries(specs)) {
    const x = params[key];
    if (x === undefined) {
      if ('default' in spec) out[key] = structuredClone(spec.default);
      else delete out[key];
    } else {
      out[key] = spec.convert ? (spec.convert as (x: unknown) => unknown)(x) : structuredClone(x);
    }
  }
  return out;
}

/** The defaults of a table, as a params object. */
export function tableDefaults(specs: Specs): OtherParams {
  const out: OtherParams = {};
  for (const [key, spec] of Object.entries(specs)) if ('default' in spec) out[key] = structuredClone(spec.default);
  return out;
}
