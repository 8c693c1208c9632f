/**
 * Helpers for this layer's tests (not part of the public API).
 */
import * as v from 'valibot';
import { PARSE_CONFIG } from './fields.ts';
import { fromValibot } from './issues.ts';
import type { ModelDocument, ModelIssue, NodeKind } from './types.ts';

/** The located issues of a value against a schema ([] when valid). */
export function issuesOf(schema: v.GenericSchema, value: unknown): ModelIssue[] {
  const r = v.safeParse(schema, value, PARSE_CONFIG);
  return r.success ? [] : fromValibot(r.issues);
}

/** A valid four-node document (client → queue → server → sink) to mutate in tests. */
export function baseDoc(): ModelDocument {
  return {
    format: 'systems-sandbox/model',
    version: 1,
    name: 'test',
    run: { until: '100 s', replications: 2 },
    nodes: [
      { id: 'c', kind: 'client', params: { rate: '1/s' } },
      { id: 'q', kind: 'queue', params: {} },
      { id: 's', kind: 'server', params: { service: { dist: 'exp', mean: '500 ms' } } },
      { id: 'k', kind: 'sink' }
    ],
    edges: [
      { id: 'e1', from: 'c.out', to: 'q.in' },
      { id: 'e2', from: 'q.out', to: 's.in' },
      { id: 'e3', from: 's.out', to: 'k.in' }
    ],
    faults: []
  };
}

/** A document with one node of `kind` carrying `params` (and nothing else). */
export function oneNode(kind: NodeKind, params?: Record<string, unknown>): ModelDocument {
  return {
    format: 'systems-sandbox/model',
    version: 1,
    nodes: [{ id: 'n', kind, ...(params === undefined ? {} : { params }) }],
    edges: []
  };
}
