/**
 * The schema of a whole document (MODEL.md §1): run settings, nodes (params by kind), edges and
 * faults. Validation only; graph checks (ids, edge ends, ports, fault targets) are in graph.ts
 * because they need the whole document.
 */
import * as v from 'valibot';
import { FAULT_ACTIONS, MODEL_FORMAT, MODEL_VERSION, NODE_KINDS } from './types.ts';
import { KINDS } from './kinds/index.ts';
import type { KindDef } from './kinds/kind.ts';
import {
  duration,
  list,
  nonEmptyStr,
  num,
  obj,
  rate,
  refine,
  rejectLists,
  str,
  tag,
  toBase,
  whole
} from './fields.ts';
import { describeValue } from './units.ts';

/** Most replications a run may ask for (each is a full simulation). */
export const MAX_REPLICATIONS = 10_000;
/** Default run length, seconds (docs/model-format.md). */
export const RUN_DEFAULT_UNTIL = 1000;

/* ------------------------------------------------------------------------------------------
 * Run settings.
 * ---------------------------------------------------------------------------------------- */

const warmup = duration({ words: ['auto'] });

const RunFields = obj(
  {
    until: v.optional(duration({ gt: 0 })),
    warmup: v.optional(warmup),
    seed: v.optional(whole(0)), // safe integers only (≤ 2^53 − 1)
    replications: v.optional(whole(1, MAX_REPLICATIONS)),
    confidence: v.optional(num({ gt: 0, lt: 1 })),
    bucket: v.optional(duration({ gt: 0 }))
  },
  'run settings {until, warmup, seed, replications, confidence, bucket}'
);

export const RunSchema = refine(RunFields, (r, report) => {
    if (r.warmup === undefined || r.warmup === 'auto') return;
    const until = r.until === undefined ? RUN_DEFAULT_UNTIL : toBase('duration', r.until);
    if (toBase('duration', r.warmup) >= until) {
      report(['warmup'], `expected a warm-up shorter than the run (${describeValue(r.until ?? '1000 s')}), got ${describeValue(r.warmup)}`);
    }
});

/* ------------------------------------------------------------------------------------------
 * Nodes, edges, faults.
 * ---------------------------------------------------------------------------------------- */

/** A node id: non-empty, no "." (edges write "nodeId.port"). */
export const NODE_ID_PATTERN = /^[^.]+$/;
/** An edge end: "nodeId.port". */
export const PORT_REF_PATTERN = /^[^.]+\.[^.]+$/;

const nodeId = (() => {
  const what = 'a node id (a non-empty string without ".")';
  const msg = (issue: v.BaseIssue<unknown>) => `expected ${what}, got ${describeValue(issue.input)}`;
  return v.pipe(v.string(msg), v.regex(NODE_ID_PATTERN, msg), v.maxLength(200, msg), v.description(what));
})();

const portRef = (() => {
  const what = '"nodeId.port" like "q.out"';
  const msg = (issue: v.BaseIssue<unknown>) => `expected ${what}, got ${describeValue(issue.input)}`;
  return v.pipe(v.string(msg), v.regex(PORT_REF_PATTERN, msg), v.description(what));
})();

function nodeSchema<K extends (typeof NODE_KINDS)[number]>(def: KindDef<K>) {
  return obj(
    {
      id: nodeId,
      kind: tag(def.kind),
      label: v.optional(str('a label (a string)')),
      x: v.optional(num()),
      y: v.optional(num()),
      params: v.optional(def.params)
    },
    `a ${def.title} node {id, kind, label, x, y, params}`
  );
}

const kindList = NODE_KINDS.map((k) => `"${k}"`).join(', ');

const nodeMessage = (issue: v.BaseIssue<unknown>) =>
  issue.path
    ? `expected a node kind (one of ${kindList}), got ${describeValue(issue.input)}`
    : `expected a node {id, kind, params}, got ${describeValue(issue.input)}`;

export const NodeSchema = v.pipe(
  rejectLists(v.variant(
    'kind',
    NODE_KINDS.map((k) => nodeSchema(KINDS[k] as KindDef)) as unknown as [
      ReturnType<typeof nodeSchema>,
      ...ReturnType<typeof nodeSchema>[]
    ],
    nodeMessage
  ), nodeMessage),
  v.description('a node {id, kind, label, x, y, params}')
);

export const EdgeSchema = obj(
  {
    id: nonEmptyStr('an edge id (a non-empty string)'),
    from: portRef,
    to: portRef,
    weight: v.optional(num({ min: 0 }))
  },
  'an edge {id, from, to, weight}'
);

function faultSchema<const A extends (typeof FAULT_ACTIONS)[number]>(action: A, value: v.GenericSchema) {
  return obj(
    {
      at: duration(),
      for: duration({ gt: 0 }),
      target: nonEmptyStr('a node id'),
      action: tag(action),
      value
    },
    `a "${action}" fault {at, for, target, action, value}`
  );
}

const anyValue = v.optional(v.unknown());

const faultMessage = (issue: v.BaseIssue<unknown>) =>
  issue.path
    ? `expected a fault action (one of ${FAULT_ACTIONS.map((a) => `"${a}"`).join(', ')}), got ${describeValue(issue.input)}`
    : `expected a fault {at, for, target, action, value}, got ${describeValue(issue.input)}`;

export const FaultSchema = v.pipe(
  rejectLists(v.variant(
    'action',
    [
      faultSchema('rate', rate()),
      faultSchema('slowdown', num({ gt: 0, what: 'a slowdown factor > 0 (2 = twice as slow)' })),
      faultSchema('pause', anyValue),
      faultSchema('crash', v.optional(whole(0))), // which replica (default: the leader)
      faultSchema('flush', anyValue),
      faultSchema('latency', duration())
    ],
    faultMessage
  ), faultMessage),
  v.description('a fault {at, for, target, action, value}')
);

/* ------------------------------------------------------------------------------------------
 * The document.
 * ---------------------------------------------------------------------------------------- */

export const DocumentSchema = obj(
  {
    format: tag(MODEL_FORMAT),
    version: v.pipe(
      v.literal(MODEL_VERSION, (issue) => `expected version ${MODEL_VERSION}, got ${describeValue(issue.input)}`),
      v.description(`the format version (${MODEL_VERSION})`)
    ),
    name: v.optional(str('a name (a string)')),
    notes: v.optional(str('notes (a string)')),
    run: v.optional(RunSchema),
    nodes: list(NodeSchema, 'a list of nodes'),
    edges: list(EdgeSchema, 'a list of edges'),
    faults: v.optional(list(FaultSchema, 'a list of faults'))
  },
  'a model document (an object)'
);
