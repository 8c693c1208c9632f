/**
 * `cache`: a look-aside cache that must be warm. A hit leaves by `hit`, a miss by `miss` and
 * fills the cache on the way back (when the missed request completes at a sink). Keys are drawn
 * from `keys` distinct keys with Zipf exponent `s`; eviction is LRU, entries expire `ttl` after
 * they were filled. The behaviour is src/lib/sim/behaviours/cache.ts. Params stay a table
 * (known fields converted, unknown ones kept), read by the engine through `CacheParams`.
 */
import * as v from 'valibot';
import { DurationDist, normalizeDist } from '../dist.ts';
import { duration, num, toBase, whole } from '../fields.ts';
import type { Dist, DistInput } from '../types.ts';
import { field, normalizeTable, tableDefaults, tableSchema } from './fieldTable.ts';
import { defineKind } from './kind.ts';

export const CACHE_FIELDS = {
  capacity: field(whole(0), { default: 1000 }),
  // Keys travel with requests as int32.
  keys: field(whole(1, 2147483647), { default: 10000 }),
  s: field(num({ min: 0 }), { default: 1 }),
  ttl: field(v.nullable(duration({ gt: 0 })), {
    default: null,
    convert: (x) => (x === null ? null : toBase('duration', x))
  }),
  lookupCost: field(DurationDist, {
    default: { dist: 'det', value: 0 },
    convert: (x: DistInput) => normalizeDist(x)
  })
};

/** The normalised cache params (an `OtherParams` record with these fields filled). */
export interface CacheParams {
  /** Entries the cache holds (0: it never holds anything). */
  capacity: number;
  /** Distinct keys requested. */
  keys: number;
  /** Zipf exponent: key of rank k is requested with probability ∝ k^−s (0: uniform). */
  s: number;
  /** Seconds an entry stays valid after it was filled; null: no expiry. */
  ttl: number | null;
  /** Time a lookup takes. */
  lookupCost: Dist;
  [unknown: string]: unknown;
}

export const CacheParamsSchema = tableSchema(CACHE_FIELDS, 'cache params (an object)');

export const cache = defineKind({
  kind: 'cache',
  title: 'cache',
  params: CacheParamsSchema,
  defaults: tableDefaults(CACHE_FIELDS),
  ports: { in: ['in'], out: ['hit', 'miss'] },
  faults: ['flush'],
  normalize: (p) => normalizeTable(CACHE_FIELDS, p)
});
