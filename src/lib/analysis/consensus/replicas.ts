/**
 * `analyzeReplicas`: the calculator panel's answer for one `replicas` node, from its params as
 * normalised by src/lib/model/kinds/replicas.ts. Never throws on bad params: it returns
 * `{ ok: false, issues }` with located messages instead.
 */
import { formatPath, joinPath, type PathKey } from '../../model/issues';
import type { ModelIssue } from '../../model/types';
import {
  binomialPmf,
  DEFAULT_MONTE_CARLO_SAMPLES,
  domainFaultPmf,
  effectiveDomains,
  enumerateDomainFaultPmf,
  MAX_ENUMERATED_OUTCOMES,
  poissonBinomialPmf,
  type FailureDomain,
  type FailureModel
} from './faults';
import { ninesOfFailure } from './format';
import {
  CONSENSUS_PROTOCOLS,
  defaultConsensusQuorums,
  pbftF,
  propertyTable,
  QUORUM_KEYS,
  toleratedFaults,
  type ConsensusProtocol,
  type Quorums
} from './predicates';
import { monteCarloConsensus, probabilitiesFromPmf } from './probability';

/** The largest n analysed (the exact method is O(n²)). */
export const MAX_REPLICAS = 10_000;

export interface AnalyzeReplicasOptions {
  /**
   * 'exact' (default): the distribution of F by convolution, for any number of domains.
   * 'enumeration': all 2^D domain outcomes when 2^D ≤ 2^16, Monte Carlo beyond.
   * 'monte-carlo': sampling, with 95% intervals.
   */
  method?: 'exact' | 'enumeration' | 'monte-carlo';
  /** Monte Carlo samples (default 100 000). */
  samples?: number;
  /** Monte Carlo seed (default 1). */
  seed?: number;
  /** Prefix for issue paths, e.g. "nodes[3].params". */
  path?: string;
}

export interface ReplicasAnalysis {
  ok: true;
  protocol: ConsensusProtocol;
  n: number;
  quorums: Quorums;
  pSafe: number;
  pLive: number;
  pSafeAndLive: number;
  /** Complements, summed directly (exact) or 1 − estimate (Monte Carlo). */
  pUnsafe: number;
  pNotLive: number;
  pNotSafeAndLive: number;
  /** −log10 of each complement. */
  nines: { safe: number; live: number; safeAndLive: number };
  method: 'exact' | 'monte-carlo';
  /** Monte Carlo only: 95% Wilson intervals. */
  ci?: { safe: [number, number]; live: [number, number]; safeAndLive: [number, number] };
  /** Monte Carlo only. */
  samples?: number;
  seed?: number;
  /** Classic threshold: every F ≤ tolerates is safe and live (−1: not even F = 0). */
  tolerates: number;
  /** Each node's marginal failure probability, d + (1 − d)·p_i with its domain's d. */
  nodeFailureProbability: number[];
  /** P(F = k), k = 0..n: exact, or the observed frequencies under Monte Carlo. */
  faultPmf: number[];
  notes: string[];
}

export interface ReplicasAnalysisError {
  ok: false;
  issues: ModelIssue[];
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const isProbability = (x: unknown): x is number => typeof x === 'number' && x >= 0 && x <= 1;
const describe = (x: unknown) => (x === undefined ? 'nothing' : JSON.stringify(x) ?? String(x));

interface Parsed {
  protocol: ConsensusProtocol;
  n: number;
  quorums: Quorums;
  model: FailureModel;
  notes: string[];
}

function parse(params: unknown, issue: (keys: PathKey[], message: string) => void): Parsed | null {
  const notes: string[] = [];
  if (!isRecord(params)) {
    issue([], `expected replicas params (an object), got ${describe(params)}`);
    return null;
  }
  const protocol = (params.protocol ?? 'raft') as ConsensusProtocol;
  if (!CONSENSUS_PROTOCOLS.includes(protocol)) {
    issue(['protocol'], `expected "raft" or "pbft", got ${describe(params.protocol)}`);
    return null;
  }
  const n = params.n ?? (protocol === 'pbft' ? 4 : 3);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_REPLICAS) {
    issue(['n'], `expected a whole number from 1 to ${MAX_REPLICAS}, got ${describe(params.n)}`);
    return null;
  }
  let ok = true;

  const quorums = defaultConsensusQuorums(protocol, n);
  if (params.quorums !== undefined && !isRecord(params.quorums)) {
    issue(['quorums'], `expected quorum sizes {persistence, viewChange, equivocation, viewChangeTrigger}, got ${describe(params.quorums)}`);
    ok = false;
  } else {
    const given = (params.quorums ?? {}) as Record<string, unknown>;
    const missing: string[] = [];
    for (const key of QUORUM_KEYS) {
      const q = given[key];
      if (q === undefined) missing.push(key);
      else if (typeof q !== 'number' || !Number.isInteger(q) || q < 1 || q > n) {
        issue(['quorums', key], `expected a whole number from 1 to n = ${n}, got ${describe(q)}`);
        ok = false;
      } else quorums[key] = q;
    }
    if (missing.length) notes.push(`Default quorums used for ${missing.join(', ')}.`);
  }

  const fp = params.failureProbability ?? 0;
  let nodeP: number[] = [];
  if (Array.isArray(fp)) {
    if (fp.length !== n) {
      issue(['failureProbability'], `expected one failure probability per node (${n}), got ${fp.length}`);
      ok = false;
    }
    fp.forEach((p, i) => {
      if (!isProbability(p)) {
        issue(['failureProbability', i], `expected a probability between 0 and 1, got ${describe(p)}`);
        ok = false;
      }
    });
    nodeP = fp as number[];
  } else if (isProbability(fp)) {
    nodeP = new Array<number>(n).fill(fp);
  } else {
    issue(['failureProbability'], `expected a probability between 0 and 1, or a list of them (one per node), got ${describe(fp)}`);
    ok = false;
  }

  const declared = new Map<string, number>();
  const domainList = params.domains ?? [];
  const domainP: number[] = [];
  if (!Array.isArray(domainList)) {
    issue(['domains'], `expected a list of failure domains {name, failureProbability}, got ${describe(domainList)}`);
    ok = false;
  } else {
    domainList.forEach((d, j) => {
      if (!isRecord(d) || typeof d.name !== 'string' || d.name === '') {
        issue(['domains', j], `expected a failure domain {name, failureProbability}, got ${describe(d)}`);
        ok = false;
        return;
      }
      const p = d.failureProbability ?? 0;
      if (!isProbability(p)) {
        issue(['domains', j, 'failureProbability'], `expected a probability between 0 and 1, got ${describe(p)}`);
        ok = false;
      }
      const first = declared.get(d.name);
      if (first !== undefined) {
        issue(['domains', j, 'name'], `duplicate domain name "${d.name}" (also domains[${first}])`);
        ok = false;
      } else {
        declared.set(d.name, j);
      }
      domainP[j] = isProbability(p) ? p : 0;
    });
  }

  const domains: FailureDomain[] = [];
  const domainOf = params.domain;
  if (domainOf !== undefined) {
    if (!Array.isArray(domainOf)) {
      issue(['domain'], `expected a list of domain names (one per node), got ${describe(domainOf)}`);
      ok = false;
    } else {
      if (domainOf.length !== n) {
        issue(['domain'], `expected one domain name per node (${n}), got ${domainOf.length}`);
        ok = false;
      }
      const byName = new Map<string, FailureDomain>();
      const undeclared = new Set<string>();
      domainOf.forEach((name, i) => {
        if (typeof name !== 'string' || name === '') {
          issue(['domain', i], `expected a domain name, got ${describe(name)}`);
          ok = false;
          return;
        }
        let d = byName.get(name);
        if (!d) {
          const j = declared.get(name);
          if (j === undefined) {
            if (declared.size > 0) {
              issue(['domain', i], `no domain named "${name}" in domains`);
              ok = false;
              return;
            }
            undeclared.add(name);
          }
          d = { name, failureProbability: j === undefined ? 0 : domainP[j], members: [] };
          byName.set(name, d);
          domains.push(d);
        }
        d.members.push(i);
      });
      if (undeclared.size > 0) {
        notes.push(
          `Domains ${[...undeclared].map((s) => `"${s}"`).join(', ')} are not listed in domains: they never fail as a whole.`
        );
      }
    }
  } else if (Array.isArray(domainList) && domainList.length > 0) {
    notes.push('domains are listed but no node names one (the domain list is absent): they do not affect the result.');
  }
  if (!ok) return null;
  return { protocol, n, quorums, model: { nodeP, domains }, notes };
}

/** Notes on the quorums: configurations that can never be safe, weak PBFT quorums or trigger. */
function quorumNotes(protocol: ConsensusProtocol, n: number, q: Quorums, tolerates: number): string[] {
  const notes: string[] = [];
  if (protocol === 'raft') {
    if (!(n < q.persistence + q.viewChange && n < 2 * q.viewChange)) {
      notes.push(
        `Raft is never safe with these quorums: it needs n < persistence + viewChange (${n} < ${q.persistence + q.viewChange}) and n < 2·viewChange (${n} < ${2 * q.viewChange}).`
      );
    }
    notes.push('Raft reads only the persistence and viewChange quorums.');
  } else {
    const f = pbftF(n);
    if (q.viewChangeTrigger > f + 1) {
      notes.push(
        `viewChangeTrigger = ${q.viewChangeTrigger} is above f + 1 = ${f + 1}: PBFT is then live only while F ≤ viewChange − viewChangeTrigger = ${Math.max(0, q.viewChange - q.viewChangeTrigger)}. ` +
          `(The model layer fills a missing viewChangeTrigger with 2f + 1; PBFT's usual trigger is f + 1.)`
      );
    }
    if (tolerates < f) {
      const bft = Math.ceil((n + f + 1) / 2);
      notes.push(
        `These quorums tolerate only ${Math.max(tolerates, 0)} fault${tolerates === 1 ? '' : 's'} although n = ${n} could tolerate f = ${f}; ` +
          `quorums of ⌈(n + f + 1)/2⌉ = ${bft} (equal to 2f + 1 only when n = 3f + 1) with viewChangeTrigger f + 1 = ${f + 1} would.`
      );
    }
  }
  return notes;
}

/**
 * P(safe), P(live) and P(safe and live) of a `replicas` node. `params` are the normalised
 * params (missing fields take the same defaults as the model layer, except that a missing PBFT
 * viewChangeTrigger is f + 1 here).
 */
export function analyzeReplicas(
  params: unknown,
  options: AnalyzeReplicasOptions = {}
): ReplicasAnalysis | ReplicasAnalysisError {
  const issues: ModelIssue[] = [];
  const prefix = options.path ?? '';
  const issue = (keys: PathKey[], message: string) => issues.push({ path: joinPath(prefix, formatPath(keys)), message });
  const method = options.method ?? 'exact';
  if (!['exact', 'enumeration', 'monte-carlo'].includes(method)) {
    return { ok: false, issues: [{ path: prefix, message: `unknown method ${describe(method)}` }] };
  }
  const samples = options.samples ?? DEFAULT_MONTE_CARLO_SAMPLES;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(samples) || samples < 1) {
    return { ok: false, issues: [{ path: prefix, message: `samples: expected a whole number ≥ 1, got ${describe(samples)}` }] };
  }
  if (!Number.isInteger(seed)) {
    return { ok: false, issues: [{ path: prefix, message: `seed: expected a whole number, got ${describe(seed)}` }] };
  }

  const parsed = parse(params, issue);
  if (!parsed) return { ok: false, issues };
  const { protocol, n, quorums, model } = parsed;
  const notes = [...parsed.notes];
  const table = propertyTable(protocol, n, quorums);
  const tolerates = toleratedFaults(table);
  const domainOfNode = new Array<number>(n).fill(0);
  for (const d of model.domains) for (const i of d.members) domainOfNode[i] = d.failureProbability;
  const nodeFailureProbability = model.nodeP.map((p, i) => domainOfNode[i] + (1 - domainOfNode[i]) * p);
  const base = { ok: true as const, protocol, n, quorums, tolerates, nodeFailureProbability };
  notes.push(
    tolerates >= 0
      ? `Tolerates ${tolerates} fault${tolerates === 1 ? '' : 's'} in the classic sense (every F ≤ ${tolerates} is safe and live).`
      : 'Not safe and live even with every node correct.'
  );
  notes.push(...quorumNotes(protocol, n, quorums, tolerates));
  if (isRecord(params) && (params.mttf != null || params.mttr != null)) {
    notes.push('mttf/mttr (failures over time) are for the simulation; this analysis uses failureProbability as given.');
  }

  const D = effectiveDomains(model).length;
  const tooMany = 2 ** D > MAX_ENUMERATED_OUTCOMES;
  if (method === 'monte-carlo' || (method === 'enumeration' && tooMany)) {
    if (method === 'enumeration') notes.push(`${D} domains: 2^${D} outcomes are too many to enumerate, so Monte Carlo.`);
    const mc = monteCarloConsensus(protocol, model, quorums, { samples, seed });
    const zero = (k: 'safe' | 'live' | 'safeAndLive') => (mc[k].estimate === 1 ? ` ${k}: no failing sample, so its nines are a lower bound at best.` : '');
    notes.push(
      `Monte Carlo: ${mc.samples} samples (seed ${mc.seed}); 95% Wilson intervals in ci.` +
        zero('safe') + zero('live') + zero('safeAndLive')
    );
    const q = (x: number) => 1 - x;
    return {
      ...base,
      pSafe: mc.safe.estimate,
      pLive: mc.live.estimate,
      pSafeAndLive: mc.safeAndLive.estimate,
      pUnsafe: q(mc.safe.estimate),
      pNotLive: q(mc.live.estimate),
      pNotSafeAndLive: q(mc.safeAndLive.estimate),
      nines: {
        safe: ninesOfFailure(q(mc.safe.estimate)),
        live: ninesOfFailure(q(mc.live.estimate)),
        safeAndLive: ninesOfFailure(q(mc.safeAndLive.estimate))
      },
      method: 'monte-carlo',
      ci: { safe: mc.safe.ci, live: mc.live.ci, safeAndLive: mc.safeAndLive.ci },
      samples: mc.samples,
      seed: mc.seed,
      faultPmf: mc.faultFrequency,
      notes
    };
  }

  let pmf: number[];
  const fp = isRecord(params) ? params.failureProbability : undefined;
  if (D === 0) {
    pmf = typeof fp === 'number' || fp === undefined ? binomialPmf(n, model.nodeP[0] ?? 0) : poissonBinomialPmf(model.nodeP);
    notes.push(
      typeof fp === 'number' || fp === undefined
        ? 'Exact: binomial distribution of the number of faulty nodes.'
        : 'Exact: Poisson-binomial distribution of the number of faulty nodes (one probability per node).'
    );
  } else if (method === 'enumeration') {
    pmf = enumerateDomainFaultPmf(model);
    notes.push(`Exact: enumeration of the 2^${D} domain outcomes, each with the Poisson-binomial of the surviving nodes.`);
  } else {
    pmf = domainFaultPmf(model);
    notes.push(`Exact: the per-domain distributions of faulty nodes convolved (${D} domain${D === 1 ? '' : 's'}, independent).`);
  }
  const r = probabilitiesFromPmf(table, pmf);
  return {
    ...base,
    ...r,
    nines: {
      safe: ninesOfFailure(r.pUnsafe),
      live: ninesOfFailure(r.pNotLive),
      safeAndLive: ninesOfFailure(r.pNotSafeAndLive)
    },
    method: 'exact',
    faultPmf: pmf,
    notes
  };
}
