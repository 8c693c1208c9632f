/**
 * `cache`: a look-aside cache that must be warm. A hit leaves by `hit`, a miss by `miss` and
 * fills the cache on the way back. Keys are drawn from `keys` distinct keys with Zipf
 * exponent `s`. Behaviour arrives with its own issue; for now params are validated, converted
 * and kept.
 */
import * as v from 'valibot';
import { DurationDist, normalizeDist } from '../dist.ts';
import { duration, num, toBase, whole } from '../fields.ts';
import type { DistInput } from '../types.ts';
import { field, normalizeTable, tableDefaults, tableSchema } from './fieldTable.ts';
import { defineKind } from './kind.ts';

export const CACHE_FIELDS = {
  capacity: field(whole(0), { default: 1000 }),
  keys: field(whole(1), { default: 10000 }),
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
