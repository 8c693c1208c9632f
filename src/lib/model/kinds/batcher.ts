/**
 * `batcher`: groups requests and pays a per-flush overhead; `adaptive` switches between
 * flushing at once and batching by an end-to-end Little's-law estimate (MODEL.md §3).
 * Behaviour arrives with its own issue; for now params are validated, converted and kept.
 */
import * as v from 'valibot';
import { DurationDist, normalizeDist } from '../dist.ts';
import { choice, duration, obj, probability, toBase, whole } from '../fields.ts';
import type { DistInput } from '../types.ts';
import { field, normalizeTable, tableDefaults, tableSchema } from './fieldTable.ts';
import { defineKind } from './kind.ts';

export const BATCH_POLICIES = ['size', 'timeout', 'size-or-timeout', 'nagle', 'adaptive'] as const;

const zero = { dist: 'det', value: 0 } as const;
const dist = (x: DistInput) => normalizeDist(x);

export const FlushCostSchema = obj(
  { fixed: v.optional(DurationDist), perItem: v.optional(DurationDist) },
  'a flush cost {fixed, perItem}'
);

export const BATCHER_FIELDS = {
  policy: field(choice(BATCH_POLICIES), { default: 'size-or-timeout' }),
  maxBatch: field(whole(1), { default: 16 }),
  maxWait: field(duration(), { default: 0.001, convert: (x) => toBase('duration', x) }),
  flushCost: field(FlushCostSchema, {
    default: { fixed: zero, perItem: zero },
    convert: (c) => ({
      ...structuredClone(c),
      fixed: c.fixed === undefined ? { ...zero } : dist(c.fixed),
      perItem: c.perItem === undefined ? { ...zero } : dist(c.perItem)
    })
  }),
  flushers: field(whole(1), { default: 1 }),
  window: field(duration({ gt: 0 }), { default: 1, convert: (x) => toBase('duration', x) }),
  probe: field(probability(), { default: 0.1 })
};

export const BatcherParamsSchema = tableSchema(BATCHER_FIELDS, 'batcher params (an object)');

export const batcher = defineKind({
  kind: 'batcher',
  title: 'batcher',
  params: BatcherParamsSchema,
  defaults: tableDefaults(BATCHER_FIELDS),
  ports: { in: ['in'], out: ['out'] },
  faults: [],
  normalize: (p) => normalizeTable(BATCHER_FIELDS, p)
});
