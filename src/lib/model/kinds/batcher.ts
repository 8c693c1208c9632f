/**
 * `batcher`: groups requests and pays a per-flush overhead; `adaptive` switches between
 * flushing at once and batching by an end-to-end Little's-law estimate (MODEL.md §3).
 * The engine's behaviour is src/lib/sim/behaviours/batcher.ts.
 */
import * as v from 'valibot';
import { DurationDist, normalizeDist } from '../dist.ts';
import { choice, duration, obj, probability, toBase, whole } from '../fields.ts';
import type { BatcherParams, DistInput } from '../types.ts';
import { field, normalizeTable, tableDefaults, tableSchema } from './fieldTable.ts';
import { defineKind } from './kind.ts';

export const BATCH_POLICIES = ['size', 'timeout', 'size-or-timeout', 'nagle', 'adaptive'] as const;
/** The batching modes `adaptive` toggles with flushing at once. */
export const ADAPTIVE_BATCHING = ['nagle', 'size-or-timeout'] as const;

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
  probe: field(probability(), { default: 0.1 }),
  adaptiveBatching: field(choice(ADAPTIVE_BATCHING), { default: 'nagle' })
};

export const BatcherParamsSchema = tableSchema(BATCHER_FIELDS, 'batcher params (an object)');

export const batcher = defineKind({
  kind: 'batcher',
  title: 'batcher',
  params: BatcherParamsSchema,
  defaults: tableDefaults(BATCHER_FIELDS) as unknown as BatcherParams,
  ports: { in: ['in'], out: ['out'] },
  faults: [],
  normalize: (p) => normalizeTable(BATCHER_FIELDS, p) as unknown as BatcherParams
});
