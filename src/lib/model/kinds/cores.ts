/**
 * `cores`: a host with N CPU cores and kernel run queues running one or more processes.
 * The engine's behaviour is src/lib/sim/behaviours/cores.ts.
 */
import * as v from 'valibot';
import { DurationDist, normalizeDist } from '../dist.ts';
import { bool, choice, refine, duration, list, nonEmptyStr, obj, toBase, whole } from '../fields.ts';
import type { CoresParams, DistInput } from '../types.ts';
import { field, normalizeTable, tableDefaults, tableSchema } from './fieldTable.ts';
import { defineKind } from './kind.ts';

export const CORE_SCHEDULERS = ['per-core', 'global'] as const;
export const PLACEMENTS = ['hash', 'round-robin', 'least-loaded'] as const;

const zero = { dist: 'det', value: 0 } as const;
const dist = (x: DistInput) => normalizeDist(x);

export const ProcessSchema = obj(
  { name: nonEmptyStr('a process name'), handler: DurationDist, threads: v.optional(whole(1)) },
  'a process {name, handler, threads}'
);

export const CORES_FIELDS = {
  count: field(whole(1), { default: 1 }),
  processes: field(list(ProcessSchema, 'a list of processes {name, handler, threads}', { nonEmpty: true }), {
    default: [{ name: 'app', handler: { dist: 'exp', mean: 0.001 }, threads: 1 }],
    convert: (ps) =>
      ps.map((p) => ({ ...structuredClone(p), handler: dist(p.handler), threads: p.threads ?? 1 }))
  }),
  scheduler: field(choice(CORE_SCHEDULERS), { default: 'per-core' }),
  placement: field(choice(PLACEMENTS), { default: 'hash' }),
  workStealing: field(bool(), { default: false }),
  stealCost: field(DurationDist, { default: zero, convert: dist }),
  dispatchCost: field(DurationDist, { default: zero, convert: dist }),
  quantum: field(v.nullable(duration({ gt: 0 })), {
    default: null,
    convert: (x) => (x === null ? null : toBase('duration', x))
  }),
  contextSwitch: field(DurationDist, { default: zero, convert: dist }),
  wakeup: field(DurationDist, { default: zero, convert: dist })
};

const CoresTable = tableSchema(CORES_FIELDS, 'cores params (an object)');

export const CoresParamsSchema = refine(CoresTable, (p, report) => {
    const seen = new Map<string, number>();
    (p.processes as { name: string }[] | undefined)?.forEach((proc, i) => {
      const first = seen.get(proc.name);
      if (first !== undefined) report(['processes', i, 'name'], `duplicate process name "${proc.name}" (also processes[${first}])`);
      else seen.set(proc.name, i);
    });
});

export const cores = defineKind({
  kind: 'cores',
  title: 'cores',
  params: CoresParamsSchema,
  defaults: tableDefaults(CORES_FIELDS) as unknown as CoresParams,
  ports: { in: ['in'], out: ['out'] },
  faults: ['slowdown', 'pause', 'crash'],
  normalize: (p) => normalizeTable(CORES_FIELDS, p) as unknown as CoresParams
});
