/**
 * Scenario 4 of PAPERS.md (Frank, Ponnapalli et al.): consensus by probabilities, not "tolerates
 * f" (static/models/consensus-odds.json). The analysis (src/lib/analysis/consensus) is checked
 * against sums written out here by hand, and the engine's replicas, failing and recovering with
 * mttf/mttr, against the analysis: the fraction of time a group has a leader and a quorum is
 * P(live) for the node unavailability mttr/(mttf + mttr).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from '../../src/lib/model/index';
import type { NormalizedModel } from '../../src/lib/model/types';
import { simulate } from '../../src/lib/sim/index';
import { analyzeReplicas, consensusTable, ninesOfFailure, pbftF, perNodeConsensus, uniformConsensus } from '../../src/lib/analysis/consensus/index';

function loadStatic(file: string): NormalizedModel {
  const r = load(readFileSync(join(__dirname, '..', '..', 'static', 'models', file), 'utf8'));
  if (!r.ok) throw new Error(`${file}: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return r.value.model;
}

/** C(n, k) as a float (exact for these sizes). */
const choose = (n: number, k: number) => {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
};
/** P(at most m of n independent nodes fail), each with probability p. */
const atMost = (n: number, p: number, m: number) => {
  let s = 0;
  for (let k = 0; k <= Math.min(m, n); k++) s += choose(n, k) * p ** k * (1 - p) ** (n - k);
  return m < 0 ? 0 : s;
};

const NS = [3, 4, 5, 6, 7, 8, 9];
const PS = [0.01, 0.02, 0.04, 0.08];

describe('consensus odds (PAPERS.md §4)', () => {
  it('the Raft table, N = 3…9 × p = 1…8%: live iff a majority is correct; always safe', () => {
    const t = consensusTable({ protocol: 'raft', ns: NS, ps: PS });
    for (const row of t.rows) {
      expect(row.tolerates).toBe(Math.floor((row.n - 1) / 2));
      row.cells.forEach((c, j) => {
        expect(c.pSafe).toBe(1);
        expect(c.pLive).toBeCloseTo(atMost(row.n, PS[j], Math.floor((row.n - 1) / 2)), 12);
      });
    }
    // VALIDATION.md: 3 nodes at 1% and 9 at 8%.
    expect(t.rows[0].cells[0].pSafeAndLive).toBeCloseTo(1 - 3 * 0.01 ** 2 + 2 * 0.01 ** 3, 15);
    expect(t.rows[0].cells[0].text.safeAndLive).toBe('99.9702%');
    expect(t.rows[6].cells[3].text.safeAndLive).toBe('99.9686%');
    // Even sizes buy nothing: 4 nodes are less live than 3 at every p (a majority of 4 is 3).
    PS.forEach((_, j) => expect(t.rows[1].cells[j].pLive).toBeLessThan(t.rows[0].cells[j].pLive));
  });

  it('nine cheap nodes equal three good ones (3.5 nines each), and 8% is about the break-even', () => {
    const good = uniformConsensus('raft', 3, 0.01);
    const cheap = uniformConsensus('raft', 9, 0.08);
    const n = (r: typeof good) => ninesOfFailure(r.pNotSafeAndLive);
    console.log(`three good (1%): ${n(good).toFixed(3)} nines; nine cheap (8%): ${n(cheap).toFixed(3)} nines`);
    expect(Math.abs(n(good) - n(cheap))).toBeLessThan(0.03);
    expect(n(cheap)).toBeGreaterThan(3.5);
    // One point either side of 8% moves nine cheap nodes clearly above or below three good ones.
    expect(n(uniformConsensus('raft', 9, 0.07))).toBeGreaterThan(n(good) + 0.15);
    expect(n(uniformConsensus('raft', 9, 0.09))).toBeLessThan(n(good) - 0.1);
  });

  it('the PBFT table with the model’s default quorums ⌈(N+f+1)/2⌉ and trigger f+1', () => {
    const q = (n: number) => {
      const f = pbftF(n);
      const big = Math.ceil((n + f + 1) / 2);
      return { persistence: big, viewChange: big, equivocation: big, viewChangeTrigger: f + 1 };
    };
    const t = consensusTable({ protocol: 'pbft', ns: NS, ps: PS, quorums: q });
    for (const row of t.rows) {
      const { equivocation: Q, viewChangeTrigger: T } = q(row.n);
      // Safe iff F < 2Q − N; live iff F ≤ Q − T, N − F ≥ Q and F < T.
      const safeMax = 2 * Q - row.n - 1;
      const liveMax = Math.min(Q - T, row.n - Q, T - 1);
      row.cells.forEach((c, j) => {
        expect(c.pSafe).toBeCloseTo(atMost(row.n, PS[j], safeMax), 12);
        expect(c.pLive).toBeCloseTo(atMost(row.n, PS[j], liveMax), 12);
      });
    }
    // "Both tolerate f = 1", yet 5 nodes are far safer and less live than 4 (at 1%).
    const [four, five] = [t.rows[1].cells[0], t.rows[2].cells[0]];
    expect(four.pSafe).toBeCloseTo(0.99 ** 4 + 4 * 0.01 * 0.99 ** 3, 15); // 0.99940797
    expect(five.nines.safe).toBeGreaterThan(four.nines.safe + 1.5);
    expect(five.pLive).toBeLessThan(four.pLive);
    console.log(`PBFT at 1%: N=4 safe ${four.text.safe} live ${four.text.live}; N=5 safe ${five.text.safe} live ${five.text.live}`);
  });

  it('a heterogeneous cluster: two good nodes among five cheap ones, against all 32 configurations', () => {
    const ps = [0.01, 0.01, 0.08, 0.08, 0.08];
    let live = 0;
    for (let mask = 0; mask < 32; mask++) {
      let w = 1;
      let failed = 0;
      ps.forEach((p, i) => {
        const down = (mask >> i) & 1;
        failed += down;
        w *= down ? p : 1 - p;
      });
      if (failed <= 2) live += w;
    }
    const mixed = perNodeConsensus('raft', ps);
    expect(mixed.pLive).toBeCloseTo(live, 14);
    const allCheap = uniformConsensus('raft', 5, 0.08);
    const nines = (x: number) => -Math.log10(1 - x);
    console.log(`five nodes: all cheap ${nines(allCheap.pLive).toFixed(2)} nines, two good + three cheap ${nines(mixed.pLive).toFixed(2)} nines`);
    // Upgrading two of five nodes buys more than half a nine.
    expect(nines(mixed.pLive) - nines(allCheap.pLive)).toBeGreaterThan(0.5);
  });

  const model = loadStatic('consensus-odds.json');
  const groups = model.nodes.filter((n) => n.kind === 'replicas');
  const analysed = Object.fromEntries(
    groups.map((g) => {
      const r = analyzeReplicas(g.params, { path: g.id });
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      return [g.id, r];
    })
  );

  it('failure domains undo the cheap-node win (the gallery model, against hand sums)', () => {
    expect(groups.map((g) => g.id)).toEqual(['good3', 'cheap9', 'good3racks', 'cheap9racks']);
    // One good node per rack: each node is down with u = 1 − 0.99 × 0.995, independently.
    const u = 1 - 0.99 * 0.995;
    expect(analysed.good3racks.pLive).toBeCloseTo(1 - 3 * u ** 2 + 2 * u ** 3, 14);
    // Three cheap nodes per rack: sum over the 8 rack outcomes; the nodes of live racks fail alone.
    let live = 0;
    for (let mask = 0; mask < 8; mask++) {
      const racksDown = [0, 1, 2].filter((r) => (mask >> r) & 1).length;
      const w = 0.005 ** racksDown * 0.995 ** (3 - racksDown);
      // Live iff at most 4 of 9 are down: the racks' 3·racksDown plus failures among the rest.
      live += w * atMost(9 - 3 * racksDown, 0.08, 4 - 3 * racksDown);
    }
    expect(analysed.cheap9racks.pLive).toBeCloseTo(live, 14);
    const n = (id: string) => analysed[id].nines.live;
    console.log(`nines live: good3 ${n('good3').toFixed(2)}, cheap9 ${n('cheap9').toFixed(2)}, good3racks ${n('good3racks').toFixed(2)}, cheap9racks ${n('cheap9racks').toFixed(2)}`);
    expect(Math.abs(n('good3') - n('cheap9'))).toBeLessThan(0.03);
    expect(n('good3racks') - n('cheap9racks')).toBeGreaterThan(0.3);
  });

  it('the engine: each group’s availability over ten simulated years matches P(live) within its 99% interval', () => {
    // The model's probabilities are the simulated unavailabilities mttr/(mttf + mttr).
    for (const g of groups) {
      const p = g.params as { failureProbability: number; mttf: number; mttr: number; domains: { failureProbability: number; mttf: number; mttr: number }[] };
      expect(p.failureProbability).toBeCloseTo(p.mttr / (p.mttf + p.mttr), 15);
      for (const d of p.domains) expect(d.failureProbability).toBeCloseTo(d.mttr / (d.mttf + d.mttr), 15);
    }
    const s = simulate(model).summary;
    expect(s.confidence).toBe(0.99);
    for (const g of groups) {
      const a = s.nodes[g.id].extras!.available;
      const want = analysed[g.id].pLive;
      console.log(`${g.id}: available ${a.mean.toFixed(6)} [${a.ci[0].toFixed(6)}, ${a.ci[1].toFixed(6)}], P(live) ${want.toFixed(6)}`);
      expect(a.ci[0]).toBeLessThanOrEqual(want);
      expect(a.ci[1]).toBeGreaterThanOrEqual(want);
      // The interval is tight enough to mean something: narrower than the unavailability itself.
      expect(a.ci[1] - a.ci[0]).toBeLessThan(1 - want);
    }
  });
});
