/** `link`: a network hop with a latency, a serialising bandwidth (FIFO on the wire) and loss. */
import * as v from 'valibot';
import type { LinkParams } from '../types.ts';
import { DurationDist, normalizeDist } from '../dist.ts';
import { bandwidth, obj, probability, toBase } from '../fields.ts';
import { defineKind, fresh } from './kind.ts';

export const LinkParamsSchema = obj(
  {
    latency: v.optional(DurationDist),
    bandwidth: v.optional(bandwidth({ gt: 0, infinite: true })),
    loss: v.optional(probability())
  },
  'link params (an object)'
);

export type LinkParamsInput = v.InferOutput<typeof LinkParamsSchema>;

export const LINK_DEFAULTS: LinkParams = {
  latency: { dist: 'det', value: 0 },
  bandwidth: Infinity,
  loss: 0
};

export function normalizeLink(p: LinkParamsInput): LinkParams {
  return {
    latency: p.latency === undefined ? fresh(LINK_DEFAULTS.latency) : normalizeDist(p.latency),
    bandwidth: p.bandwidth === undefined ? LINK_DEFAULTS.bandwidth : toBase('bandwidth', p.bandwidth),
    loss: p.loss ?? LINK_DEFAULTS.loss
  };
}

export const link = defineKind({
  kind: 'link',
  title: 'link',
  params: LinkParamsSchema,
  defaults: LINK_DEFAULTS,
  ports: { in: ['in'], out: ['out'] },
  faults: ['latency'],
  normalize: normalizeLink
});
