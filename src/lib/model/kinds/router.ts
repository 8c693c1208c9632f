/**
 * `router`: a load balancer or a probabilistic split. The only kind whose output port may carry
 * several edges; edge `weight`s drive "weighted" and "probabilistic".
 */
import * as v from 'valibot';
import { ROUTER_POLICIES, type RouterParams } from '../types.ts';
import { choice, duration, obj, toBase } from '../fields.ts';
import { defineKind } from './kind.ts';

export const RouterParamsSchema = obj(
  {
    policy: v.optional(choice(ROUTER_POLICIES)),
    staleness: v.optional(duration())
  },
  'router params (an object)'
);

export type RouterParamsInput = v.InferOutput<typeof RouterParamsSchema>;

export const ROUTER_DEFAULTS: RouterParams = { policy: 'random', staleness: 0 };

export function normalizeRouter(p: RouterParamsInput): RouterParams {
  return {
    policy: p.policy ?? ROUTER_DEFAULTS.policy,
    staleness: p.staleness === undefined ? ROUTER_DEFAULTS.staleness : toBase('duration', p.staleness)
  };
}

export const router = defineKind({
  kind: 'router',
  title: 'router',
  params: RouterParamsSchema,
  defaults: ROUTER_DEFAULTS,
  ports: { in: ['in'], out: ['out'] },
  faults: [],
  fanOut: true,
  normalize: normalizeRouter
});
