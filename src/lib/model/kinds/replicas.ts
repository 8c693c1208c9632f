/**
 * `replicas`: a replicated state machine (Raft or PBFT) whose availability depends on quorums,
 * per-node and per-domain failure probabilities and dynamic failures (mttf/mttr).
 * The engine's behaviour is src/lib/sim/behaviours/replicas.ts; the probabilities are
 * src/lib/analysis/consensus.
 */
import * as v from 'valibot';
import { DurationDist, normalizeDist } from '../dist.ts';
import {
  choice,
  duration,
  list,
  nonEmptyStr,
  obj,
  probability,
  refine,
  toBase,
  whole
} from '../fields.ts';
import { describeValue } from '../units.ts';
import type { DistInput, OtherParams } from '../types.ts';
import { field, normalizeTable, tableSchema } from './fieldTable.ts';
import { defineKind } from './kind.ts';

export const PROTOCOLS = ['raft', 'pbft'] as const;
export const QUORUM_NAMES = ['persistence', 'viewChange', 'equivocation', 'viewChangeTrigger'] as const;

const zero = { dist: 'det', value: 0 } as const;
const dist = (x: DistInput) => normalizeDist(x);

export const QuorumsSchema = obj(
  {
    persistence: v.optional(whole(1)),
    viewChange: v.optional(whole(1)),
    equivocation: v.optional(whole(1)),
    viewChangeTrigger: v.optional(whole(1))
  },
  'quorum sizes {persistence, viewChange, equivocation, viewChangeTrigger}'
);

const probabilityOrList = (() => {
  const what = 'a probability between 0 and 1, or a list of them (one per node)';
  const msg = (issue: v.BaseIssue<unknown>) => `expected ${what}, got ${describeValue(issue.input)}`;
  return v.pipe(v.union([probability(), v.array(probability(), msg)], msg), v.description(what));
})();

export const DomainSchema = obj(
  {
    name: nonEmptyStr('a domain name'),
    failureProbability: v.optional(probability()),
    mttf: v.optional(v.nullable(duration({ gt: 0 }))),
    mttr: v.optional(v.nullable(duration({ gt: 0 })))
  },
  'a failure domain {name, failureProbability, mttf, mttr}'
);

export const REPLICAS_FIELDS = {
  protocol: field(choice(PROTOCOLS), { default: 'raft' }),
  // `n` and `quorums` default by protocol: see normalizeReplicas.
  n: field(whole(1)),
  quorums: field(QuorumsSchema),
  failureProbability: field(probabilityOrList, { default: 0 }),
  domain: field(list(nonEmptyStr('a domain name'), 'a list of domain names (one per node)')),
  domains: field(list(DomainSchema, 'a list of failure domains {name, failureProbability}'), {
    default: [],
    convert: (ds) =>
      ds.map((d) => ({
        ...structuredClone(d),
        failureProbability: d.failureProbability ?? 0,
        mttf: d.mttf === undefined || d.mttf === null ? null : toBase('duration', d.mttf),
        mttr: d.mttr === undefined || d.mttr === null ? null : toBase('duration', d.mttr)
      }))
  }),
  ackLatency: field(DurationDist, { default: zero, convert: dist }),
  leaderService: field(DurationDist, { default: zero, convert: dist }),
  mttf: field(v.nullable(duration({ gt: 0 })), {
    default: null,
    convert: (x) => (x === null ? null : toBase('duration', x))
  }),
  mttr: field(v.nullable(duration({ gt: 0 })), {
    default: null,
    convert: (x) => (x === null ? null : toBase('duration', x))
  }),
  whenNoQuorum: field(choice(['wait', 'reject'] as const), { default: 'wait' }),
  electionTimeout: field(
    v.pipe(
      list(duration(), 'a pair of durations [min, max]'),
      v.length(2, (issue) => `expected a pair of durations [min, max], got ${describeValue(issue.input)}`)
    ),
    { default: [0.15, 0.3], convert: (xs) => xs.map((x) => toBase('duration', x)) }
  )
};

/** The default replica count of a protocol: 3 for Raft, 4 (f = 1) for PBFT. */
export function defaultReplicaCount(protocol: (typeof PROTOCOLS)[number]): number {
  return protocol === 'pbft' ? 4 : 3;
}

/**
 * Default quorum sizes (MODEL.md §3): a majority for Raft; 2f+1 of 3f+1 for PBFT, where
 * f = floor((n - 1) / 3).
 */
/**
 * Default quorums. Raft: a majority everywhere. PBFT with f = ⌊(n − 1)/3⌋: quorums of
 * ⌈(n + f + 1)/2⌉, which is the textbook 2f + 1 when n = 3f + 1 and keeps any two quorums
 * intersecting in a correct node for other n (2f + 1 of 5 would be safe with no fault at all);
 * the view-change trigger is f + 1, as in Castro and Liskov (faulty nodes alone cannot force a
 * view change, and f faults leave the protocol live).
 */
export function defaultQuorums(protocol: (typeof PROTOCOLS)[number], n: number): Record<(typeof QUORUM_NAMES)[number], number> {
  if (protocol === 'pbft') {
    const f = Math.floor((n - 1) / 3);
    const q = Math.ceil((n + f + 1) / 2);
    return { persistence: q, viewChange: q, equivocation: q, viewChangeTrigger: f + 1 };
  }
  const q = Math.floor(n / 2) + 1;
  return { persistence: q, viewChange: q, equivocation: q, viewChangeTrigger: q };
}

const ReplicasTable = tableSchema(REPLICAS_FIELDS, 'replicas params (an object)');

export const ReplicasParamsSchema = refine(ReplicasTable, (p, report) => {
    const protocol = (p.protocol ?? 'raft') as (typeof PROTOCOLS)[number];
    const n = (p.n as number | undefined) ?? defaultReplicaCount(protocol);
    const quorums = p.quorums as Record<string, number | undefined> | undefined;
    for (const name of QUORUM_NAMES) {
      const q = quorums?.[name];
      if (q !== undefined && q > n) report(['quorums', name], `expected a quorum of at most n = ${n}, got ${q}`);
    }
    const fp = p.failureProbability;
    if (Array.isArray(fp) && fp.length !== n) {
      report(['failureProbability'], `expected one failure probability per node (${n}), got ${fp.length}`);
    }
    const domain = p.domain as string[] | undefined;
    if (domain && domain.length !== n) {
      report(['domain'], `expected one domain name per node (${n}), got ${domain.length}`);
    }
    const domains = p.domains as { name: string }[] | undefined;
    const names = new Map<string, number>();
    domains?.forEach((d, i) => {
      const first = names.get(d.name);
      if (first !== undefined) report(['domains', i, 'name'], `duplicate domain name "${d.name}" (also domains[${first}])`);
      else names.set(d.name, i);
    });
    if (domain && domains) {
      domain.forEach((name, i) => {
        if (!names.has(name)) report(['domain', i], `no domain named "${name}" in domains`);
      });
    }
    const et = p.electionTimeout as unknown[] | undefined;
    if (et && toBase('duration', et[0]) > toBase('duration', et[1])) {
      report(['electionTimeout', 1], `expected max ≥ min (${describeValue(et[0])}), got ${describeValue(et[1])}`);
    }
});

export function normalizeReplicas(p: Record<string, unknown>): OtherParams {
  const out = normalizeTable(REPLICAS_FIELDS, p);
  const protocol = out.protocol as (typeof PROTOCOLS)[number];
  const n = (out.n as number | undefined) ?? defaultReplicaCount(protocol);
  out.n = n;
  out.quorums = { ...defaultQuorums(protocol, n), ...((out.quorums as object | undefined) ?? {}) };
  return out;
}

export const replicas = defineKind({
  kind: 'replicas',
  title: 'replicas',
  params: ReplicasParamsSchema,
  defaults: normalizeReplicas({}),
  ports: { in: ['in'], out: ['out'] },
  faults: ['crash'],
  normalize: normalizeReplicas
});
