/** `sink`: completion. No params; unknown fields are kept in the document and ignored. */
import * as v from 'valibot';
import type { SinkParams } from '../types.ts';
import { obj } from '../fields.ts';
import { defineKind } from './kind.ts';

export const SinkParamsSchema = obj({}, 'sink params (an object)');

export type SinkParamsInput = v.InferOutput<typeof SinkParamsSchema>;

export const SINK_DEFAULTS: SinkParams = {};

export function normalizeSink(_p: SinkParamsInput): SinkParams {
  return {};
}

export const sink = defineKind({
  kind: 'sink',
  title: 'sink',
  params: SinkParamsSchema,
  defaults: SINK_DEFAULTS,
  ports: { in: ['in'], out: [] },
  faults: [],
  normalize: normalizeSink
});
