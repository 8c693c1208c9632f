/**
 * `spawner`: a process created per request (CGI, serverless, shell) by fork+exec, posix_spawn
 * or spork. The engine's behaviour is src/lib/sim/behaviours/spawner.ts.
 *
 * Default costs are the calibration of PAPERS.md §3 (measured on a 2-vCPU Linux VM): fork ≈
 * 1.7 ms + 38 µs per MiB of parent memory, posix_spawn ≈ 1 ms at any size. Users calibrate
 * with their own numbers.
 */
import * as v from 'valibot';
import { DurationDist, normalizeDist } from '../dist.ts';
import { choice, duration, obj, probability, size, toBase, whole } from '../fields.ts';
import type { DistInput, SpawnerParams } from '../types.ts';
import { field, normalizeTable, tableDefaults, tableSchema } from './fieldTable.ts';
import { defineKind } from './kind.ts';

export const SPAWN_MECHANISMS = ['fork-exec', 'posix_spawn', 'spork'] as const;

const zero = { dist: 'det', value: 0 } as const;
/** fork's flat part and its cost per MiB of parent memory; posix_spawn's flat cost. */
export const FORK_FIXED = 0.0017;
export const FORK_PER_MIB = 38e-6;
export const POSIX_SPAWN_COST = 0.001;
const forkFixed = { dist: 'det', value: FORK_FIXED } as const;
const posixSpawn = { dist: 'det', value: POSIX_SPAWN_COST } as const;
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
    default: { fixed: forkFixed, perMiB: FORK_PER_MIB },
    convert: (c) => ({
      ...structuredClone(c),
      fixed: c.fixed === undefined ? { ...forkFixed } : dist(c.fixed),
      perMiB: c.perMiB === undefined ? FORK_PER_MIB : toBase('duration', c.perMiB)
    })
  }),
  spawnCost: field(DurationDist, { default: posixSpawn, convert: dist }),
  spork: field(SporkSchema, {
    default: { rewritable: 1, analysisCost: zero },
    convert: (s) => ({
      ...structuredClone(s),
      rewritable: s.rewritable ?? 1,
      analysisCost: s.analysisCost === undefined ? { ...zero } : dist(s.analysisCost)
    })
  }),
  parents: field(whole(1), { default: 1 }),
  service: field(DurationDist, { default: zero, convert: dist }),
  // A spawned process that goes on serving: a pipeline stage reading its input in chunks (one
  // spawn per file), or a worker that exits after N requests. Omitted: 1, a process per request
  // (no default filled in, so that models written before it normalise exactly as they did).
  requestsPerSpawn: field(whole(1))
};

export const SpawnerParamsSchema = tableSchema(SPAWNER_FIELDS, 'spawner params (an object)');

export const spawner = defineKind({
  kind: 'spawner',
  title: 'spawner',
  params: SpawnerParamsSchema,
  defaults: tableDefaults(SPAWNER_FIELDS) as unknown as SpawnerParams,
  ports: { in: ['in'], out: ['out'] },
  faults: [],
  normalize: (p) => normalizeTable(SPAWNER_FIELDS, p) as unknown as SpawnerParams
});
