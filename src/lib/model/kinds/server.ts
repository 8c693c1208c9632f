/**
 * `server`: c identical servers with no buffer of their own (a request that finds all busy and
 * no queue in front is lost: Erlang-B). FCFS, or processor sharing with at most `limit` in
 * service. `contention` adds service time per request already in service when one starts.
 */
import * as v from 'valibot';
import type { Dist, ServerParams } from '../types.ts';
import { DurationDist, normalizeDist } from '../dist.ts';
import { choice, countOrInfinite, dict, duration, obj, toBase, wholeOrInfinite } from '../fields.ts';
import { defineKind, fresh } from './kind.ts';

export const SERVER_DISCIPLINES = ['fcfs', 'ps'] as const;

export const ServerParamsSchema = obj(
  {
    servers: v.optional(wholeOrInfinite(1)),
    service: v.optional(DurationDist),
    discipline: v.optional(choice(SERVER_DISCIPLINES)),
    limit: v.optional(wholeOrInfinite(1)),
    serviceByClass: v.optional(dict(DurationDist, 'a map from class name to a service distribution')),
    contention: v.optional(duration())
  },
  'server params (an object)'
);

export type ServerParamsInput = v.InferOutput<typeof ServerParamsSchema>;

export const SERVER_DEFAULTS: ServerParams = {
  servers: 1,
  service: { dist: 'exp', mean: 0.5 },
  discipline: 'fcfs',
  limit: Infinity,
  serviceByClass: {},
  contention: 0
};

export function normalizeServer(p: ServerParamsInput): ServerParams {
  const d = SERVER_DEFAULTS;
  const byClass: Record<string, Dist> = {};
  for (const [name, dist] of Object.entries(p.serviceByClass ?? {})) byClass[name] = normalizeDist(dist);
  return {
    servers: p.servers === undefined ? d.servers : countOrInfinite(p.servers),
    service: p.service === undefined ? fresh(d.service) : normalizeDist(p.service),
    discipline: p.discipline ?? d.discipline,
    limit: p.limit === undefined ? d.limit : countOrInfinite(p.limit),
    serviceByClass: byClass,
    contention: p.contention === undefined ? d.contention : toBase('duration', p.contention)
  };
}

export const server = defineKind({
  kind: 'server',
  title: 'server',
  params: ServerParamsSchema,
  defaults: SERVER_DEFAULTS,
  ports: { in: ['in'], out: ['out'] },
  faults: ['slowdown', 'pause'],
  normalize: normalizeServer
});
