/**
 * `nic`: the receive path from the wire to the cores, in three modes (MODEL.md §3, NIC modes).
 * The wire side is src/lib/sim/behaviours/nic.ts; what happens on the cores (interrupts, polling,
 * coherent dispatch) is in src/lib/sim/behaviours/cores.ts, which the NIC must feed.
 */
import * as v from 'valibot';
import { DurationDist, normalizeDist } from '../dist.ts';
import {
  bandwidth,
  choice,
  countOrInfinite,
  dict,
  duration,
  list,
  obj,
  probability,
  toBase,
  whole,
  wholeOrInfinite
} from '../fields.ts';
import type { DistInput, NicParams } from '../types.ts';
import { field, normalizeTable, tableDefaults, tableSchema } from './fieldTable.ts';
import { defineKind } from './kind.ts';

export const NIC_MODES = ['kernel', 'bypass', 'coherent'] as const;

const zero = { dist: 'det', value: 0 } as const;
const dist = (x: DistInput) => normalizeDist(x);

export const CoalescingSchema = obj(
  { packets: v.optional(whole(1)), delay: v.optional(duration()) },
  'interrupt coalescing {packets, delay}'
);

export const NIC_FIELDS = {
  mode: field(choice(NIC_MODES), { default: 'kernel' }),
  lineRate: field(bandwidth({ gt: 0, infinite: true }), {
    default: Infinity,
    convert: (x) => toBase('bandwidth', x)
  }),
  ringSize: field(wholeOrInfinite(1), { default: 1024, convert: countOrInfinite }),
  rxQueues: field(whole(1), { default: 1 }),
  perPacket: field(DurationDist, { default: zero, convert: dist }),
  // kernel mode
  interruptCost: field(DurationDist, { default: zero, convert: dist }),
  coalescing: field(v.nullable(CoalescingSchema), {
    default: null,
    convert: (c) =>
      c === null
        ? null
        : { ...structuredClone(c), packets: c.packets ?? 1, delay: c.delay === undefined ? 0 : toBase('duration', c.delay) }
  }),
  stackCost: field(DurationDist, { default: zero, convert: dist }),
  // bypass mode
  pollCost: field(DurationDist, { default: zero, convert: dist }),
  pinned: field(v.nullable(dict(list(whole(0), 'a list of core indices', { nonEmpty: true }), 'process name → core indices')), {
    default: null
  }),
  // coherent mode
  coherenceLatency: field(DurationDist, { default: zero, convert: dist }),
  processQueue: field(wholeOrInfinite(1), { default: 64, convert: countOrInfinite }),
  tryAgain: field(duration({ gt: 0 }), { default: 0.015, convert: (x) => toBase('duration', x) }),
  maxThreads: field(wholeOrInfinite(1), { default: Infinity, convert: countOrInfinite }),
  preemptAt: field(probability(), { default: 0.5 })
};

export const NicParamsSchema = tableSchema(NIC_FIELDS, 'nic params (an object)');

export const nic = defineKind({
  kind: 'nic',
  title: 'NIC',
  params: NicParamsSchema,
  defaults: tableDefaults(NIC_FIELDS) as unknown as NicParams,
  ports: { in: ['in'], out: ['out'] },
  faults: [],
  normalize: (p) => normalizeTable(NIC_FIELDS, p) as unknown as NicParams
});
