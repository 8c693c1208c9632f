/**
 * `spawner`: a process created per request (CGI, serverless, shell) by fork+exec, posix_spawn
 * or spork. Behaviour arrives with its own issue; for now params are validated, converted and
 * kept.
 */
import * as v from 'valibot';
import { DurationDist, normalizeDist } from '../dist.ts';
import { choice, duration, obj, probability, size, toBase, whole } from '../fields.ts';
import type { DistInput } from '../types.ts';
import { field, normalizeTable, tableDefaults, tableSchema } from './fieldTable.ts';
import { defineKind } from './kind.ts';

export const SPAWN_MECHANISMS = ['fork-exec', 'posix_spawn', 'spork'] as const;

const zero = { dist: 'det', value: 0 } as const;
const dist = (x: DistInput) => normalizeDist(x);

export const ForkCostSchema = obj(
  { fixed: v.optional(DurationDist), perMiB: v.optional(duration()) },
  'a fork cost {fixed, perMiB}'
);

export const SporkSchema = obj(
  { rewritable: v.optional(probability()), analysisCost: v.optional(DurationDist) },
  'spork settings {rewritable, analysisCost}'
);

export const SPAWNER_FIELDS = {
  mechanism: field(choice(SPAWN_MECHANISMS), { default: 'fork-exec' }),
  parentMemory: field(size(), { default: 0, convert: (x) => toBase('size', x) }),
  forkCost: field(ForkCostSchema, {
    default: { fixed: zero, perMiB: 0 },
    convert: (c) => ({
      ...structuredClone(c),
      fixed: c.fixed === undefined ? { ...zero } : dist(c.fixed),
      perMiB: c.perMiB === undefined ? 0 : toBase('duration', c.perMiB)
    })
  }),
  spawnCost: field(DurationDist, { default: zero, convert: dist }),
  spork: field(SporkSchema, {
    default: { rewritable: 1, analysisCost: zero },
    convert: (s) => ({
      ...structuredClone(s),
      rewritable: s.rewritable ?? 1,
      analysisCost: s.analysisCost === undefined ? { ...zero } : dist(s.analysisCost)
    })
  }),
  parents: field(whole(1), { default: 1 })
};

export const SpawnerParamsSchema = tableSchema(SPAWNER_FIELDS, 'spawner params (an object)');

export const spawner = defineKind({
  kind: 'spawner',
  title: 'spawner',
  params: SpawnerParamsSchema,
  defaults: tableDefaults(SPAWNER_FIELDS),
  ports: { in: ['in'], out: ['out'] },
  faults: [],
  normalize: (p) => normalizeTable(SPAWNER_FIELDS, p)
});
