/**
 * `queue`: a buffer in front of whatever it feeds; the node downstream pulls when it can take
 * work. CoDel's `target` and `interval` matter only with discipline "codel".
 */
import * as v from 'valibot';
import type { QueueParams } from '../types.ts';
import { choice, countOrInfinite, duration, obj, toBase, wholeOrInfinite } from '../fields.ts';
import { defineKind } from './kind.ts';

export const QUEUE_DISCIPLINES = ['fifo', 'lifo', 'priority', 'codel', 'adaptive-lifo'] as const;
/**
 * What a full queue does with a request offered to it: `drop` it, `reject` it (its client hears at
 * once), or `block` the sender (back-pressure, "blocking after service": a server or spawner that
 * finished the request keeps it, and its server or parent stays occupied, until the queue has
 * room; a source or a kind that cannot hold a request — a client, link, router… — is rejected).
 */
export const ON_FULL = ['drop', 'reject', 'block'] as const;

export const QueueParamsSchema = obj(
  {
    capacity: v.optional(wholeOrInfinite(0)),
    discipline: v.optional(choice(QUEUE_DISCIPLINES)),
    target: v.optional(duration({ gt: 0 })),
    interval: v.optional(duration({ gt: 0 })),
    onFull: v.optional(choice(ON_FULL))
  },
  'queue params (an object)'
);

export type QueueParamsInput = v.InferOutput<typeof QueueParamsSchema>;

export const QUEUE_DEFAULTS: QueueParams = {
  capacity: Infinity,
  discipline: 'fifo',
  target: 0.005,
  interval: 0.1,
  onFull: 'drop'
};

export function normalizeQueue(p: QueueParamsInput): QueueParams {
  const d = QUEUE_DEFAULTS;
  return {
    capacity: p.capacity === undefined ? d.capacity : countOrInfinite(p.capacity),
    discipline: p.discipline ?? d.discipline,
    target: p.target === undefined ? d.target : toBase('duration', p.target),
    interval: p.interval === undefined ? d.interval : toBase('duration', p.interval),
    onFull: p.onFull ?? d.onFull
  };
}

export const queue = defineKind({
  kind: 'queue',
  title: 'queue',
  params: QueueParamsSchema,
  defaults: QUEUE_DEFAULTS,
  ports: { in: ['in'], out: ['out'] },
  faults: [],
  normalize: normalizeQueue
});
