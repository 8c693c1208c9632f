/**
 * Safety and liveness of one failure configuration (PAPERS.md §4, after Frank, Ponnapalli et
 * al., "Real life is uncertain. Consensus should be too!", HotOS 2025).
 *
 * Every predicate depends only on N, the quorum sizes and F (how many nodes are faulty), never
 * on which nodes: that is what lets the probabilities be sums over the distribution of F.
 */

export const CONSENSUS_PROTOCOLS = ['raft', 'pbft'] as const;
export type ConsensusProtocol = (typeof CONSENSUS_PROTOCOLS)[number];

/** Quorum sizes, in nodes. Raft reads only `persistence` and `viewChange`. */
export interface Quorums {
  /** Q_per: nodes that must store an entry before it commits. */
  persistence: number;
  /** Q_vc: nodes that must take part in a view change (leader election). */
  viewChange: number;
  /** Q_eq: nodes that must vouch for a proposal so that no two conflicting ones gather (PBFT prepare). */
  equivocation: number;
  /** Q_vc_t: view-change messages a correct node waits for before it joins a view change (PBFT). */
  viewChangeTrigger: number;
}

export const QUORUM_KEYS = ['persistence', 'viewChange', 'equivocation', 'viewChangeTrigger'] as const;

/** The f of a PBFT group of n nodes: ⌊(n − 1)/3⌋ (n = 3f + 1 when n is of that form). */
export function pbftF(n: number): number {
  return Math.floor((n - 1) / 3);
}

/**
 * Default quorums, the same as the model layer's (src/lib/model/kinds/replicas.ts). Raft: a
 * majority ⌊n/2⌋ + 1 for every quorum (only persistence and viewChange matter). PBFT with
 * f = ⌊(n − 1)/3⌋: equivocation = persistence = viewChange = ⌈(n + f + 1)/2⌉ (MODEL.md's
 * "2f+1 of 3f+1" when n = 3f + 1), and viewChangeTrigger = f + 1, the number Castro and
 * Liskov use: f + 1 view-change messages contain at least one from a correct node, so faulty
 * nodes alone cannot force view changes, and with Q_vc = 2f + 1 the liveness condition
 * F ≤ Q_vc − Q_vc_t becomes F ≤ f. (A trigger of 2f + 1 would make PBFT live only with F = 0.)
 */
export function defaultConsensusQuorums(protocol: ConsensusProtocol, n: number): Quorums {
  checkN(n);
  if (protocol === 'pbft') {
    const f = pbftF(n);
    // ⌈(n + f + 1)/2⌉: 2f + 1 when n = 3f + 1, and for other n the smallest quorum whose
    // pairs still meet in a correct node (2f + 1 of 5 would be safe only with no fault).
    const q = Math.ceil((n + f + 1) / 2);
    return { persistence: q, viewChange: q, equivocation: q, viewChangeTrigger: f + 1 };
  }
  const m = Math.floor(n / 2) + 1;
  return { persistence: m, viewChange: m, equivocation: m, viewChangeTrigger: m };
}

/** Quorum sizes in [1, n], or a message saying what is wrong (null when valid). */
export function quorumProblem(n: number, q: Partial<Quorums>): string | null {
  for (const key of QUORUM_KEYS) {
    const v = q[key];
    if (v === undefined) continue;
    if (!Number.isInteger(v) || v < 1 || v > n) {
      return `quorums.${key} must be a whole number from 1 to n = ${n}, got ${v}`;
    }
  }
  return null;
}

/** The defaults of `protocol` for n nodes, overridden by whatever `partial` gives. Throws RangeError. */
export function resolveQuorums(protocol: ConsensusProtocol, n: number, partial?: Partial<Quorums>): Quorums {
  checkProtocol(protocol);
  const q: Quorums = { ...defaultConsensusQuorums(protocol, n) };
  if (partial) {
    for (const key of QUORUM_KEYS) {
      const v = partial[key];
      if (v !== undefined) q[key] = v;
    }
  }
  const problem = quorumProblem(n, q);
  if (problem) throw new RangeError(problem);
  return q;
}

/** Safe with `faulty` of n nodes faulty. */
export function isSafe(protocol: ConsensusProtocol, n: number, faulty: number, q: Quorums): boolean {
  if (protocol === 'pbft') {
    return faulty < 2 * q.equivocation - n && faulty < q.persistence + q.viewChange - n;
  }
  // Raft: structural; crash faults cannot make intersecting quorums disagree.
  return n < q.persistence + q.viewChange && n < 2 * q.viewChange;
}

/** Live with `faulty` of n nodes faulty. */
export function isLive(protocol: ConsensusProtocol, n: number, faulty: number, q: Quorums): boolean {
  const correct = n - faulty;
  if (protocol === 'pbft') {
    return (
      faulty <= q.viewChange - q.viewChangeTrigger &&
      correct >= Math.max(q.equivocation, q.persistence, q.viewChange) &&
      faulty < q.viewChangeTrigger
    );
  }
  return correct >= Math.max(q.persistence, q.viewChange);
}

/** The predicates for every F = 0..n (index = F). */
export interface PropertyTable {
  safe: boolean[];
  live: boolean[];
}

export function propertyTable(protocol: ConsensusProtocol, n: number, q: Quorums): PropertyTable {
  checkN(n);
  const safe: boolean[] = [];
  const live: boolean[] = [];
  for (let f = 0; f <= n; f++) {
    safe.push(isSafe(protocol, n, f, q));
    live.push(isLive(protocol, n, f, q));
  }
  return { safe, live };
}

/**
 * The classic threshold: the largest t such that every configuration with F ≤ t faulty is safe
 * and live (−1 when even F = 0 is not).
 */
export function toleratedFaults(table: PropertyTable): number {
  let t = -1;
  while (t + 1 < table.safe.length && table.safe[t + 1] && table.live[t + 1]) t++;
  return t;
}

function checkN(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a whole number ≥ 1, got ${n}`);
}

function checkProtocol(protocol: string): asserts protocol is ConsensusProtocol {
  if (!(CONSENSUS_PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new RangeError(`protocol must be "raft" or "pbft", got ${JSON.stringify(protocol)}`);
  }
}
