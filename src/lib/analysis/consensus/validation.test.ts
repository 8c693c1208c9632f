/**
 * VALIDATION.md's consensus cases (exact: to 1e-9, and to the digits the table gives) and the
 * examples of PAPERS.md §4.
 */
import { describe, expect, it } from 'vitest';
import { consensusTable, formatNines, formatPercent, nines, ninesOfFailure } from './format';
import { defaultConsensusQuorums, isLive, isSafe, propertyTable, resolveQuorums, toleratedFaults } from './predicates';
import { uniformConsensus } from './probability';

/** |actual − expected| ≤ tol. */
function near(actual: number, expected: number, tol = 1e-9): void {
  if (!(Math.abs(actual - expected) <= tol)) throw new Error(`expected ${expected} ± ${tol}, got ${actual}`);
}

describe('majority quorum, node availability 0.99 (VALIDATION.md)', () => {
  const majority = (n: number) => uniformConsensus('raft', n, 0.01);

  it('n = 3: 0.999702', () => {
    near(majority(3).pLive, 0.999702);
    near(majority(3).pSafeAndLive, 0.999702);
  });

  it('n = 2: 0.9801, worse than one node (0.99)', () => {
    near(majority(2).pSafeAndLive, 0.9801);
    expect(majority(2).pSafeAndLive).toBeLessThan(majority(1).pSafeAndLive);
    near(majority(1).pSafeAndLive, 0.99);
  });

  it('n = 5: 0.9999901494', () => {
    near(majority(5).pSafeAndLive, 0.9999901494, 1e-10);
  });

  it('complements are summed directly, not as 1 − p', () => {
    const r = majority(5);
    // P(F ≥ 3) = 10·p³q² + 5·p⁴q + p⁵ with p = 0.01, q = 0.99.
    const exact = 10 * 1e-6 * 0.9801 + 5 * 1e-8 * 0.99 + 1e-10;
    expect(Math.abs(r.pNotSafeAndLive - exact) / exact).toBeLessThan(1e-12);
  });
});

describe('Raft (Frank et al.; VALIDATION.md)', () => {
  it('n = 3, p = 1%: safe and live 99.9702%', () => {
    const r = uniformConsensus('raft', 3, 0.01);
    expect(formatPercent(r.pSafeAndLive)).toBe('99.9702%');
    expect(r.pSafe).toBe(1);
    expect(r.tolerates).toBe(1);
  });

  it('n = 9, p = 8%: safe and live 99.9686%', () => {
    const r = uniformConsensus('raft', 9, 0.08);
    expect(formatPercent(r.pSafeAndLive)).toBe('99.9686%');
    near(r.pSafeAndLive, 0.9996864181462632, 1e-12);
    expect(r.tolerates).toBe(4);
  });
});

describe('PBFT: 5 nodes are safer but less live than 4 (PAPERS.md §4)', () => {
  // n = 4: default quorums 3 (2f + 1), trigger 2 (f + 1). n = 5: quorums of n − f = 4 (the
  // BFT quorum ⌈(n + f + 1)/2⌉), trigger f + 1 = 2; the 2f + 1 = 3 default would not be safe at F = 1.
  const five = { equivocation: 4, persistence: 4, viewChange: 4, viewChangeTrigger: 2 };
  for (const p of [0.01, 0.05, 0.1]) {
    const r4 = uniformConsensus('pbft', 4, p);
    const r5 = uniformConsensus('pbft', 5, p, five);
    it(`p = ${p}: safe ${formatPercent(r5.pSafe)} (n=5) > ${formatPercent(r4.pSafe)} (n=4); live ${formatPercent(r5.pLive)} (n=5) < ${formatPercent(r4.pLive)} (n=4)`, () => {
      expect(r5.pSafe, `P(safe): n=5 ${r5.pSafe} vs n=4 ${r4.pSafe}`).toBeGreaterThan(r4.pSafe);
      expect(r5.pLive, `P(live): n=5 ${r5.pLive} vs n=4 ${r4.pLive}`).toBeLessThan(r4.pLive);
      expect(r4.tolerates).toBe(1);
      expect(r5.tolerates).toBe(1);
    });
  }

  it('p = 1%: the numbers (n=4 safe = live = P(F ≤ 1); n=5 safe = P(F ≤ 2), live = P(F ≤ 1))', () => {
    const r4 = uniformConsensus('pbft', 4, 0.01);
    const r5 = uniformConsensus('pbft', 5, 0.01, five);
    near(r4.pSafe, 0.99940797);
    near(r4.pLive, 0.99940797);
    near(r5.pSafe, 0.9999901494);
    near(r5.pLive, 0.9990198504);
  });

  it('the default quorums for n = 5 are those four: the claim holds without typing them', () => {
    expect(defaultConsensusQuorums('pbft', 5)).toEqual(five);
    expect(uniformConsensus('pbft', 5, 0.01).pSafe).toBe(uniformConsensus('pbft', 5, 0.01, five).pSafe);
  });

  it('with the literal 2f + 1 = 3 for n = 5, five nodes are less safe than four (why it is not the default)', () => {
    const literal = { equivocation: 3, persistence: 3, viewChange: 3, viewChangeTrigger: 2 };
    expect(uniformConsensus('pbft', 5, 0.01, literal).pSafe).toBeLessThan(uniformConsensus('pbft', 4, 0.01).pSafe);
    expect(toleratedFaults(propertyTable('pbft', 5, resolveQuorums('pbft', 5, literal)))).toBe(0);
  });

  it('every n from 1 to 40 with default quorums tolerates f = ⌊(n − 1)/3⌋ faults', () => {
    for (let n = 1; n <= 40; n++) expect(toleratedFaults(propertyTable('pbft', n, resolveQuorums('pbft', n)))).toBe(Math.floor((n - 1) / 3));
  });
});

describe('predicates', () => {
  it('default quorums', () => {
    expect(defaultConsensusQuorums('raft', 3)).toEqual({ persistence: 2, viewChange: 2, equivocation: 2, viewChangeTrigger: 2 });
    expect(defaultConsensusQuorums('raft', 4).persistence).toBe(3);
    expect(defaultConsensusQuorums('pbft', 4)).toEqual({ persistence: 3, viewChange: 3, equivocation: 3, viewChangeTrigger: 2 });
    expect(defaultConsensusQuorums('pbft', 7)).toEqual({ persistence: 5, viewChange: 5, equivocation: 5, viewChangeTrigger: 3 });
  });

  it('PBFT 3f + 1 with defaults tolerates exactly f', () => {
    for (let f = 0; f <= 20; f++) {
      const n = 3 * f + 1;
      const q = resolveQuorums('pbft', n);
      expect(toleratedFaults(propertyTable('pbft', n, q))).toBe(f);
      expect(isSafe('pbft', n, f + 1, q) && isLive('pbft', n, f + 1, q)).toBe(false);
    }
  });

  it('Raft with majorities tolerates ⌈n/2⌉ − 1 and is structurally safe; non-intersecting quorums never are', () => {
    for (let n = 1; n <= 30; n++) {
      const q = resolveQuorums('raft', n);
      expect(toleratedFaults(propertyTable('raft', n, q))).toBe(Math.ceil(n / 2) - 1);
    }
    const q = resolveQuorums('raft', 4, { persistence: 2, viewChange: 2 });
    expect(isSafe('raft', 4, 0, q)).toBe(false);
    expect(uniformConsensus('raft', 4, 0.01, q).pSafe).toBe(0);
  });

  it('PBFT trigger 2f + 1 (the model layer default) is live only with F = 0', () => {
    const q = resolveQuorums('pbft', 4, { viewChangeTrigger: 3 });
    expect(propertyTable('pbft', 4, q).live).toEqual([true, false, false, false, false]);
  });

  it('rejects quorums outside [1, n]', () => {
    expect(() => resolveQuorums('raft', 3, { persistence: 4 })).toThrow(RangeError);
    expect(() => resolveQuorums('pbft', 4, { viewChangeTrigger: 0 })).toThrow(RangeError);
    expect(() => resolveQuorums('raft', 0)).toThrow(RangeError);
  });
});

describe('presentation', () => {
  it('nines', () => {
    near(nines(0.999702), 3.525783735923201, 1e-9);
    expect(formatNines(nines(0.999702))).toBe('3.52');
    expect(formatNines(nines(0.999))).toBe('3.00');
    expect(formatNines(nines(0.9))).toBe('1.00');
    expect(nines(1)).toBe(Infinity);
    expect(formatNines(Infinity)).toBe('∞');
    expect(nines(0)).toBe(0);
    // The exact complement keeps digits that 1 − p has lost.
    const r = uniformConsensus('raft', 15, 1e-4);
    expect(ninesOfFailure(r.pNotSafeAndLive)).toBeGreaterThan(28);
  });

  it('percentages', () => {
    expect(formatPercent(0.999702)).toBe('99.9702%');
    expect(formatPercent(1)).toBe('100.0000%');
    expect(formatPercent(0.99999999)).toBe('>99.9999%');
    expect(formatPercent(1e-9)).toBe('<0.0001%');
    expect(formatPercent(0)).toBe('0.0000%');
    expect(formatPercent(0.5, 1)).toBe('50.0%');
  });

  it('consensusTable over N and p', () => {
    const t = consensusTable({ protocol: 'raft', ns: [3, 9], ps: [0.01, 0.08] });
    expect(t.rows.map((r) => r.n)).toEqual([3, 9]);
    expect(t.rows[0].cells[0].text.safeAndLive).toBe('99.9702%');
    expect(t.rows[1].cells[1].text.safeAndLive).toBe('99.9686%');
    expect(t.rows[0].quorums?.persistence).toBe(2);
    expect(t.rows[1].tolerates).toBe(4);
    expect(formatNines(t.rows[0].cells[0].nines.safeAndLive)).toBe('3.52');
    expect(structuredClone(t)).toEqual(t);
  });

  it('consensusTable: quorums per n, and a row error when they do not fit', () => {
    const t = consensusTable({
      protocol: 'pbft',
      ns: [4, 5],
      ps: [0.01],
      quorums: (n) => (n === 5 ? { equivocation: 4, persistence: 4, viewChange: 4, viewChangeTrigger: 2 } : undefined)
    });
    expect(t.rows[1].cells[0].pSafe).toBeGreaterThan(t.rows[0].cells[0].pSafe);
    const bad = consensusTable({ protocol: 'raft', ns: [3, 5], ps: [0.01], quorums: { persistence: 4 } });
    expect(bad.rows[0].error).toMatch(/persistence/);
    expect(bad.rows[0].cells).toEqual([]);
    expect(bad.rows[1].cells[0].pSafeAndLive).toBeGreaterThan(0.99);
    expect(() => consensusTable({ protocol: 'raft', ns: [3], ps: [1.5] })).toThrow(RangeError);
  });
});
