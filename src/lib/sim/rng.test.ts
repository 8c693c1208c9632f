import { describe, expect, it } from 'vitest';
import { fmix32, fnv1a32, Rng, streamId, substream } from './rng';

/*
 * Known answers come from the reference C code compiled with gcc (not committed):
 * xoshiro128starstar.c 1.1 by Blackman & Vigna for the generator, and a direct C transcription
 * of FNV-1a, fmix32 and this file's mixer for the seeding, so JS integer semantics
 * (Math.imul, >>>, |0) are checked against uint32 C arithmetic.
 */

describe('Rng: known answers from the reference C implementation', () => {
  it('xoshiro128** from state {1, 2, 3, 4}', () => {
    const r = new Rng(1, 2, 3, 4);
    const got = Array.from({ length: 8 }, () => r.nextU32());
    expect(got).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849
    ]);
  });

  it('xoshiro128** from a state with high bits set, and after 1000 steps', () => {
    const r = new Rng(0x9e3779b9, 0x243f6a88, 0xb7e15162, 0xdeadbeef);
    const got = Array.from({ length: 8 }, () => r.nextU32());
    expect(got).toEqual([
      2463954730, 5524658, 74256371, 1905451993, 3123413897, 314453775, 1263677054, 1531511215
    ]);
    for (let i = 0; i < 992; i++) r.nextU32();
    expect(r.nextU32()).toBe(2541037969);
  });

  it('FNV-1a and streamId over UTF-8', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    expect(fnv1a32('café')).toBe(2821410889); // 2-byte UTF-8
    expect(fnv1a32('€')).toBe(697271083); // 3-byte UTF-8
    expect(fnv1a32('😀')).toBe(866293256); // surrogate pair → 4-byte UTF-8
    expect(streamId('')).toBe(2872998923);
    expect(streamId('server-1')).toBe(2516229107);
    expect(streamId('😀')).toBe(855877642);
    expect(fmix32(0)).toBe(0);
  });

  it('substream seeding (frozen: changing it changes every published result)', () => {
    const r = substream(42, 3, streamId('server-1'));
    expect([r.nextU32(), r.nextU32(), r.nextU32(), r.nextU32()]).toEqual([
      2405455931, 2596324284, 473137318, 2824908782
    ]);
    expect([r.next(), r.next(), r.next()]).toEqual([
      0.42053670437907464, 0.69887695833714625, 0.55014053276315333
    ]);
    const big = substream(123456789012345, 0, 7); // a seed above 2^32 uses its high word
    expect([big.nextU32(), big.nextU32(), big.nextU32(), big.nextU32()]).toEqual([
      1040447895, 544900032, 4136950151, 1161398973
    ]);
  });
});

describe('Rng.next: two generator steps, written out', () => {
  it('equals the 53-bit value built from two nextU32() and leaves the same state', () => {
    for (const seed of [1, 2, 99, 123456789]) {
      const a = substream(seed, 0, 5);
      const b = a.clone();
      for (let i = 0; i < 20_000; i++) {
        const x = a.next();
        const hi = b.nextU32() >>> 5;
        const lo = b.nextU32() >>> 6;
        if (x !== (hi * 67108864 + lo) / 9007199254740992) expect.fail(`draw ${i} of seed ${seed}`);
      }
      expect(a.nextU32()).toBe(b.nextU32());
    }
  });
});

describe('Rng: determinism and independence', () => {
  it('same triple ⇒ same sequence; different triples ⇒ different sequences', () => {
    const a = substream(7, 1, 2);
    const b = substream(7, 1, 2);
    for (let i = 0; i < 1000; i++) expect(a.next()).toBe(b.next());
    const triples: [number, number, number][] = [
      [7, 1, 2],
      [8, 1, 2],
      [7, 2, 2],
      [7, 1, 3],
      [2, 1, 7],
      [7 + 2 ** 32, 1, 2]
    ];
    const firsts = new Set(
      triples.map(([s, r, k]) => {
        const g = substream(s, r, k);
        return `${g.nextU32()},${g.nextU32()}`;
      })
    );
    expect(firsts.size).toBe(triples.length);
  });

  it('the all-zero state is rejected', () => {
    expect(() => new Rng(0, 0, 0, 0)).toThrow(RangeError);
  });

  it('split is deterministic, advances the parent, and the child differs from the parent', () => {
    const p1 = substream(1, 0, 0);
    const p2 = substream(1, 0, 0);
    const c1 = p1.split();
    const c2 = p2.split();
    for (let i = 0; i < 100; i++) expect(c1.nextU32()).toBe(c2.nextU32());
    expect(p1.nextU32()).toBe(p2.nextU32());
    const p = substream(1, 0, 0);
    const child = p.split();
    expect(pearson(p, child, 100_000)).toBeLessThan(5 / Math.sqrt(100_000));
  });

  it('clone continues the same sequence', () => {
    const a = substream(5, 5, 5);
    a.next();
    const b = a.clone();
    for (let i = 0; i < 100; i++) expect(b.nextU32()).toBe(a.nextU32());
  });

  it('next() lies in [0, 1) and uses the low bits (53-bit resolution)', () => {
    const r = substream(99, 0, 0);
    let fine = 0;
    for (let i = 0; i < 10_000; i++) {
      const u = r.next();
      expect(u >= 0 && u < 1).toBe(true);
      // u·2^53 is an integer; with 53 random bits its lowest bit is set half of the time.
      expect(Number.isInteger(u * 2 ** 53)).toBe(true);
      if ((u * 2 ** 53) % 2 === 1) fine++;
    }
    expect(Math.abs(fine - 5000)).toBeLessThan(5 * 50);
  });

  it('uniformity: chi-square over 100k draws in 100 bins, for next() and the low byte of nextU32()', () => {
    // 99 degrees of freedom: mean 99, sd 14.07; 160 is beyond the 0.9999 quantile (≈150.7 + margin).
    const n = 100_000;
    const r = substream(2024, 0, streamId('uniformity'));
    const bins = new Float64Array(100);
    for (let i = 0; i < n; i++) bins[Math.floor(r.next() * 100)]++;
    expect(chiSquare(bins, n / 100)).toBeLessThan(160);
    const low = new Float64Array(256); // 255 df: mean 255, sd 22.6
    for (let i = 0; i < n; i++) low[r.nextU32() & 255]++;
    expect(chiSquare(low, n / 256)).toBeLessThan(255 + 5 * 22.6);
  });

  it('neighbouring substreams are uncorrelated (streams, replications, seeds)', () => {
    // Under independence the sample correlation of n pairs has sd ≈ 1/√n; allow 5 sd.
    const n = 100_000;
    const bound = 5 / Math.sqrt(n);
    for (let k = 0; k < 4; k++) {
      expect(Math.abs(pearson(substream(1, 0, k), substream(1, 0, k + 1), n))).toBeLessThan(bound);
      expect(Math.abs(pearson(substream(1, k, 9), substream(1, k + 1, 9), n))).toBeLessThan(bound);
      expect(Math.abs(pearson(substream(k, 0, 9), substream(k + 1, 0, 9), n))).toBeLessThan(bound);
    }
    // Lagged: stream k's draw i against stream k+1's draw i+1.
    const a = substream(3, 0, 0);
    const b = substream(3, 0, 1);
    b.next();
    expect(Math.abs(pearson(a, b, n))).toBeLessThan(bound);
  });

  it('the seeding mixer avalanches: flipping one input bit flips about half of the state bits', () => {
    // Compare the first 4 outputs (a bijective image of the state) for inputs one bit apart.
    const first4 = (g: Rng) => [g.nextU32(), g.nextU32(), g.nextU32(), g.nextU32()];
    let flips = 0;
    let trials = 0;
    for (let bit = 0; bit < 32; bit++) {
      for (const [s, r, k] of [
        [0, 0, 0],
        [12345, 6, 789]
      ]) {
        const base = first4(substream(s, r, k));
        for (const alt of [
          substream((s ^ (1 << bit)) >>> 0, r, k),
          substream(s, (r ^ (1 << bit)) >>> 0, k),
          substream(s, r, (k ^ (1 << bit)) >>> 0)
        ]) {
          const o = first4(alt);
          for (let w = 0; w < 4; w++) flips += popcount((o[w] ^ base[w]) >>> 0);
          trials++;
        }
      }
    }
    // 192 trials × 128 bits; binomial sd of the mean fraction ≈ 0.5/√(24576) ≈ 0.0032.
    const frac = flips / (trials * 128);
    expect(Math.abs(frac - 0.5)).toBeLessThan(0.02);
  });
});

function chiSquare(bins: Float64Array, expected: number): number {
  let x2 = 0;
  for (const o of bins) x2 += ((o - expected) * (o - expected)) / expected;
  return x2;
}

function pearson(a: Rng, b: Rng, n: number): number {
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  for (let i = 0; i < n; i++) {
    const x = a.next();
    const y = b.next();
    sa += x;
    sb += y;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
  }
  const cov = sab / n - (sa / n) * (sb / n);
  return cov / Math.sqrt((saa / n - (sa / n) ** 2) * (sbb / n - (sb / n) ** 2));
}

function popcount(x: number): number {
  let c = 0;
  while (x) {
    x &= x - 1;
    c++;
  }
  return c;
}

describe('Rng.exponential: the ziggurat', () => {
  const n = 1_000_000;
  const draws = (() => {
    const r = substream(2024, 0, streamId('ziggurat'));
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = r.exponential();
    return x;
  })();

  it('mean 1 and variance 1 within 4 standard errors; never negative', () => {
    let sum = 0;
    let sq = 0;
    let min = Infinity;
    for (const v of draws) {
      sum += v;
      sq += v * v;
      if (v < min) min = v;
    }
    const mean = sum / n;
    const variance = sq / n - mean * mean;
    expect(min).toBeGreaterThanOrEqual(0);
    expect(Math.abs(mean - 1)).toBeLessThan(4 / Math.sqrt(n)); // sd of X is 1
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(8 / n)); // sd of X² is √20; of the variance ≈ √8/√n
  });

  it('Kolmogorov–Smirnov against 1 − e^{−x} (99% critical value)', () => {
    const sorted = Float64Array.from(draws.subarray(0, 200_000)).sort();
    const m = sorted.length;
    let d = 0;
    for (let i = 0; i < m; i++) {
      const f = 1 - Math.exp(-sorted[i]);
      d = Math.max(d, Math.abs(f - i / m), Math.abs(f - (i + 1) / m));
    }
    expect(d).toBeLessThan(1.628 / Math.sqrt(m));
  });

  it('chi-square over 256 equiprobable bins (every strip of the ziggurat and its wedges)', () => {
    const bins = 256;
    const counts = new Float64Array(bins);
    for (const v of draws) counts[Math.min(bins - 1, Math.floor(bins * (1 - Math.exp(-v))))]++;
    const e = n / bins;
    let chi = 0;
    for (const c of counts) chi += ((c - e) * (c - e)) / e;
    // 255 degrees of freedom: the 99.9% point is about 330.
    expect(chi).toBeLessThan(330);
  });

  it('the tail beyond the base strip (R ≈ 7.697) has the right mass and is memoryless', () => {
    const R = 7.69711747013104972;
    let tail = 0;
    let excess = 0;
    for (const v of draws) {
      if (v > R) {
        tail++;
        excess += v - R;
      }
    }
    const expected = n * Math.exp(-R); // ≈ 453
    expect(Math.abs(tail - expected)).toBeLessThan(4 * Math.sqrt(expected));
    // Given X > R, X − R is exponential with mean 1: its mean within 4 standard errors.
    expect(Math.abs(excess / tail - 1)).toBeLessThan(4 / Math.sqrt(tail));
  });

  it('successive draws are uncorrelated, and a clone repeats the sequence', () => {
    let sxy = 0;
    for (let i = 1; i < n; i++) sxy += (draws[i - 1] - 1) * (draws[i] - 1);
    expect(Math.abs(sxy / (n - 1))).toBeLessThan(4 / Math.sqrt(n));
    const a = substream(7, 1, 2);
    for (let i = 0; i < 1000; i++) a.exponential();
    const b = a.clone();
    for (let i = 0; i < 1000; i++) expect(b.exponential()).toBe(a.exponential());
  });
});
