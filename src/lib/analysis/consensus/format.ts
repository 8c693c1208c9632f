/**
 * Presentation helpers: "nines", percentages, and the N × p table of the calculator panel.
 */
import { uniformConsensus } from './probability';
import { propertyTable, resolveQuorums, toleratedFaults, type ConsensusProtocol, type Quorums } from './predicates';

/** −log10(1 − p): 0.999 → 3, 0.999702 → 3.5258. Infinity when p = 1. */
export function nines(p: number): number {
  return ninesOfFailure(1 - p);
}

/**
 * −log10(q) for a failure probability q = 1 − p. Prefer this when q was computed directly (as
 * pUnsafe, pNotLive, pNotSafeAndLive are): 1 − p loses digits when p is close to 1.
 */
export function ninesOfFailure(q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`expected a probability in [0, 1], got ${q}`);
  return q === 0 ? Infinity : Math.max(0, -Math.log10(q));
}

/**
 * Nines to `decimals` places, rounded down so a system is never shown more reliable than it
 * is (3.5258 → "3.52"); a tolerance of 1e-9 keeps 0.999 at "3.00" despite 1 − 0.999 not
 * being exactly 0.001 in binary. Infinity → "∞".
 */
export function formatNines(x: number, decimals = 2): string {
  if (x === Infinity) return '∞';
  const scale = 10 ** decimals;
  return (Math.floor(x * scale + 1e-9) / scale).toFixed(decimals);
}

/**
 * A probability as a percentage with `digits` decimals: 0.999702 → "99.9702%". Never shows
 * "100%" for p < 1 or "0%" for p > 0: those become ">99.9999%" and "<0.0001%".
 */
export function formatPercent(p: number, digits = 4): string {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`expected a probability in [0, 1], got ${p}`);
  const s = (p * 100).toFixed(digits);
  const step = (10 ** -digits).toFixed(digits);
  if (p < 1 && Number(s) >= 100) return `>${(100 - 10 ** -digits).toFixed(digits)}%`;
  if (p > 0 && Number(s) <= 0) return `<${step}%`;
  return `${s}%`;
}

export interface ConsensusTableCell {
  /** Per-node failure probability. */
  p: number;
  pSafe: number;
  pLive: number;
  pSafeAndLive: number;
  nines: { safe: number; live: number; safeAndLive: number };
  /** Ready to show: percentages with 4 decimals. */
  text: { safe: string; live: string; safeAndLive: string };
}

export interface ConsensusTableRow {
  n: number;
  /** The quorums used for this n (absent when `error` is set). */
  quorums?: Quorums;
  /** Classic threshold: every F ≤ tolerates is safe and live. */
  tolerates?: number;
  /** One cell per entry of `ps`, in order. */
  cells: ConsensusTableCell[];
  /** Why this row has no cells (for instance a quorum larger than n). */
  error?: string;
}

export interface ConsensusTable {
  protocol: ConsensusProtocol;
  ns: number[];
  ps: number[];
  rows: ConsensusTableRow[];
}

export interface ConsensusTableInput {
  protocol: ConsensusProtocol;
  /** Replica counts, one row each. */
  ns: number[];
  /** Per-node failure probabilities (uniform, independent), one column each. */
  ps: number[];
  /** Overrides of the protocol's default quorums: fixed sizes, or sizes as a function of n. */
  quorums?: Partial<Quorums> | ((n: number) => Partial<Quorums> | undefined);
}

/**
 * P(safe), P(live), P(safe and live) over N × p, each node failing independently with p.
 * Throws RangeError for an invalid n or p; a quorum that does not fit some n gives that row an
 * `error` instead.
 */
export function consensusTable(input: ConsensusTableInput): ConsensusTable {
  const { protocol, ns, ps } = input;
  for (const n of ns) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`ns: expected whole numbers ≥ 1, got ${n}`);
  }
  for (const p of ps) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`ps: expected probabilities in [0, 1], got ${p}`);
  }
  const rows = ns.map((n): ConsensusTableRow => {
    const partial = typeof input.quorums === 'function' ? input.quorums(n) : input.quorums;
    let quorums: Quorums;
    try {
      quorums = resolveQuorums(protocol, n, partial);
    } catch (e) {
      return { n, cells: [], error: e instanceof Error ? e.message : String(e) };
    }
    const tolerates = toleratedFaults(propertyTable(protocol, n, quorums));
    const cells = ps.map((p): ConsensusTableCell => {
      const r = uniformConsensus(protocol, n, p, quorums);
      return {
        p,
        pSafe: r.pSafe,
        pLive: r.pLive,
        pSafeAndLive: r.pSafeAndLive,
        nines: {
          safe: ninesOfFailure(r.pUnsafe),
          live: ninesOfFailure(r.pNotLive),
          safeAndLive: ninesOfFailure(r.pNotSafeAndLive)
        },
        text: {
          safe: formatPercent(r.pSafe),
          live: formatPercent(r.pLive),
          safeAndLive: formatPercent(r.pSafeAndLive)
        }
      };
    });
    return { n, quorums, tolerates, cells };
  });
  return { protocol, ns: [...ns], ps: [...ps], rows };
}
