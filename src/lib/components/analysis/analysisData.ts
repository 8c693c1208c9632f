/**
 * Pure helpers of the Analysis panel (no DOM, no Svelte): which views a model gets, the numbers
 * the metastability view reads off a report, the colours of the drift field and of the trigger
 * grid, and the consensus tables with failure domains. Tested in analysisData.test.ts.
 */
import type { NormalizedModel } from '../../model/types.ts';
import {
  metastabilityParamsFromModel,
  type ChainReport,
  type Equilibrium,
  type MetastabilityReport
} from '../../analysis/metastability/index.ts';
import {
  analyzeReplicas,
  domainConsensus,
  formatPercent,
  ninesOfFailure,
  resolveQuorums,
  type ConsensusProtocol,
  type ConsensusTableCell,
  type ConsensusTableRow,
  type ReplicasAnalysis,
  type ReplicasAnalysisError
} from '../../analysis/consensus/index.ts';
import type { SimulatedClass } from '../../experiments/index.ts';

/** Which views the panel shows for a model. */
export interface AnalysisTargets {
  /** The model has a client → queue → server loop the metastability analysis accepts. */
  metastability: { ok: true } | { ok: false; reason: string; path: string };
  /** The open client with retries (or a timeout) the experiments drive, or null. */
  experimentClient: string | null;
  /** Every replicas node: id, label, index. */
  replicas: { id: string; label: string; index: number }[];
}

export function analysisTargets(model: NormalizedModel): AnalysisTargets {
  const m = metastabilityParamsFromModel(model);
  const client = model.nodes.find(
    (n) => n.kind === 'client' && n.params.mode === 'open' && n.params.interarrival === null && n.params.rate > 0 && (n.params.retry !== null || n.params.timeout !== null)
  );
  return {
    metastability: m.ok ? { ok: true } : { ok: false, reason: m.notApplicable, path: m.path },
    experimentClient: client?.id ?? null,
    replicas: model.nodes.flatMap((n, index) => (n.kind === 'replicas' ? [{ id: n.id, label: n.label ?? n.id, index }] : []))
  };
}

/** True when the panel has anything to show. */
export function hasAnalysis(t: AnalysisTargets): boolean {
  return t.metastability.ok || t.experimentClient !== null || t.replicas.length > 0;
}

/**
 * P(stuck) from the chain: the stationary mass at or beyond the saddle's queue length (the basin
 * boundary crosses the queue axis there: a longer queue drifts to the full one). Null without a
 * saddle (no stuck state to be in).
 */
export function stuckProbability(report: MetastabilityReport): number | null {
  const chain = report.chain;
  const saddle = report.equilibria.find((e) => e.kind === 'saddle');
  if (!chain || !saddle || !report.stuckExists) return null;
  const from = Math.ceil(saddle.q);
  let s = 0;
  for (let q = from; q < chain.stationary.queue.length; q++) s += chain.stationary.queue[q];
  return Math.min(1, s);
}

/** The mixing time as shown: exact, an estimate, or a lower bound. */
export function mixingText(mixing: ChainReport['mixing'], fmt: (s: number) => string): string {
  if (!mixing) return 'skipped';
  if (mixing.time !== null) return fmt(mixing.time);
  if (mixing.estimate !== null) return `≈ ${fmt(mixing.estimate)} (estimate)`;
  return `> ${fmt(mixing.lowerBound)}`;
}

const YEAR = 365.25 * 86400;

/** Seconds over any range: "32.9 s", "4.2 h", "2.1e33 s (6.7e25 years)". */
export function formatLongTime(s: number, short: (s: number) => string): string {
  if (!Number.isFinite(s)) return '∞';
  if (s < 1e6) return short(s);
  return `${s.toPrecision(3)} s (${(s / YEAR).toPrecision(3)} years)`;
}

/** Arrow colour by the drift's magnitude, on a log scale from the field's smallest to largest speed. */
export function speedColour(speed: number, lo: number, hi: number): string {
  const a = Math.log10(Math.max(lo, 1e-12));
  const b = Math.log10(Math.max(hi, lo * 10, 1e-11));
  const t = Math.min(1, Math.max(0, (Math.log10(Math.max(speed, 1e-12)) - a) / (b - a)));
  // Blue (slow) → amber → red (fast): readable on white, and in grey as light → dark.
  const stops: [number, number, number][] = [
    [86, 180, 233],
    [230, 159, 0],
    [178, 34, 34]
  ];
  const x = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

export const EQUILIBRIUM_COLOUR: Record<Equilibrium['kind'], string> = {
  drained: '#009e73',
  stuck: '#d55e00',
  saddle: '#222222',
  unstable: '#888888'
};

/** Colours of the trigger grid's classes (Okabe–Ito: green, amber, vermilion, grey). */
export const CLASS_COLOUR: Record<SimulatedClass, string> = {
  stable: '#009e73',
  vulnerable: '#e69f00',
  metastable: '#d55e00',
  overloaded: '#6b6b6b'
};

/** "0.5, 1, 1.5" → [0.5, 1, 1.5]; a located message for anything that is not a positive number. */
export function parseList(text: string, what: string, min = 0, strict = true): { ok: true; value: number[] } | { ok: false; message: string } {
  const parts = text.split(/[,\s]+/).filter(Boolean);
  if (parts.length === 0) return { ok: false, message: `${what}: give at least one number` };
  const value: number[] = [];
  for (const p of parts) {
    const x = Number(p);
    if (!Number.isFinite(x) || x < min || (strict && x === min)) return { ok: false, message: `${what}: "${p}" is not a number ${strict ? '>' : '≥'} ${min}` };
    value.push(x);
  }
  return { ok: true, value };
}

/** A consensus table (as `consensusTable` in src/lib/analysis/consensus) with failure domains. */
export interface DomainTableInput {
  protocol: ConsensusProtocol;
  ns: number[];
  ps: number[];
  /** Whole-domain failure probabilities; the N nodes are spread over them in contiguous blocks. */
  domains: number[];
}

/**
 * P(safe), P(live), P(safe and live) over N × p when the N nodes sit in the given failure domains
 * (node i in domain ⌊i·D/N⌋: as even as whole nodes allow), each domain failing whole with its
 * probability, exact by convolution over the domains. Default quorums of the protocol.
 */
export function domainTable(input: DomainTableInput): ConsensusTableRow[] {
  const D = input.domains.length;
  return input.ns.map((n): ConsensusTableRow => {
    let quorums;
    try {
      quorums = resolveQuorums(input.protocol, n, undefined);
    } catch (e) {
      return { n, cells: [], error: e instanceof Error ? e.message : String(e) };
    }
    const members: number[][] = input.domains.map(() => []);
    for (let i = 0; i < n; i++) members[Math.floor((i * D) / n)].push(i);
    const cells = input.ps.map((p): ConsensusTableCell => {
      const r = domainConsensus(input.protocol, {
        nodeP: new Array<number>(n).fill(p),
        domains: input.domains.map((d, j) => ({ failureProbability: d, members: members[j] })).filter((d) => d.members.length > 0)
      }, quorums);
      return {
        p,
        pSafe: r.pSafe,
        pLive: r.pLive,
        pSafeAndLive: r.pSafeAndLive,
        nines: { safe: ninesOfFailure(r.pUnsafe), live: ninesOfFailure(r.pNotLive), safeAndLive: ninesOfFailure(r.pNotSafeAndLive) },
        text: { safe: formatPercent(r.pSafe), live: formatPercent(r.pLive), safeAndLive: formatPercent(r.pSafeAndLive) }
      };
    });
    return { n, quorums, cells };
  });
}

/** The model's replicas nodes analysed (exact), with the whole-domain probabilities each has. */
export function replicasAnalyses(model: NormalizedModel): { id: string; label: string; result: ReplicasAnalysis | ReplicasAnalysisError; domains: number[] }[] {
  return analysisTargets(model).replicas.map(({ id, label, index }) => {
    const params = model.nodes[index].params as { domains?: { failureProbability?: number }[] | null };
    const domains = (params.domains ?? []).map((d) => d.failureProbability).filter((x): x is number => typeof x === 'number');
    return { id, label, result: analyzeReplicas(model.nodes[index].params, { path: `nodes[${index}].params` }), domains };
  });
}
