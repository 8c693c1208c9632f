/**
 * The engine's only source of randomness: xoshiro128** 1.1 (Blackman & Vigna, 2018) with
 * substreams keyed by (seed, replication, stream) (ARCHITECTURE.md principle 8).
 *
 * Why xoshiro128**: 128-bit state, period 2^128 − 1, passes BigCrush/PractRand, and every
 * operation is a 32-bit shift, xor or `Math.imul`, which V8 compiles to plain integer
 * instructions, so a draw costs a few nanoseconds and is bit-identical in Node and Chromium.
 *
 * Why substreams are seeded by hashing and not by jumping: a node's stream must depend only on
 * (seed, replication, node id), never on how many other nodes exist or in which order they were
 * created, so that adding a node leaves every other node's draws untouched (common random
 * numbers). `substream` therefore maps the 128-bit input (seed as 64 bits, replication, stream)
 * through a bijective 128-bit mixer to the 128-bit generator state: distinct triples give
 * distinct states, and the states are scattered uniformly over the 2^128 cycle, so two streams
 * of any practical length overlap with probability ~ length / 2^128.
 *
 * FROZEN: the generator, `next()`'s 53-bit construction, the seeding mixer and `streamId` define
 * every published result ("same model + seed ⇒ same numbers"). Changing any of them changes
 * all results; bump the results/engine version if you ever must.
 */

import { exp as dexp, log as dlog } from './detmath';

/** 2^-53: maps a 53-bit integer to [0, 1). */
const TWO_POW_MINUS_53 = 1.1102230246251565e-16;
/** 2^26: shifts the high 27 bits above the low 26. */
const TWO_POW_26 = 67108864;

/** 2^53. */
const TWO_POW_53 = 9007199254740992;

/**
 * Ziggurat tables for the exponential (Marsaglia & Tsang 2000, "The ziggurat method for
 * generating random variables", 256 strips of equal area V, the rightmost edge at R), scaled
 * for a 53-bit integer j: strip i accepts j < K[i] at once and returns j × W[i]; F[i] is the
 * density at the strip's edge.
 */
const ZIG_R = 7.69711747013104972;
const ZIG_V = 3.949659822581572e-3;
const ZIG_K = new Float64Array(256);
const ZIG_W = new Float64Array(256);
const ZIG_F = new Float64Array(256);
{
  let de = ZIG_R;
  let te = de;
  const q = ZIG_V / dexp(-de);
  ZIG_K[0] = (de / q) * TWO_POW_53;
  ZIG_K[1] = 0;
  ZIG_W[0] = q / TWO_POW_53;
  ZIG_W[255] = de / TWO_POW_53;
  ZIG_F[0] = 1;
  ZIG_F[255] = dexp(-de);
  for (let i = 254; i >= 1; i--) {
    de = -dlog(ZIG_V / de + dexp(-de));
    ZIG_K[i + 1] = (de / te) * TWO_POW_53;
    te = de;
    ZIG_F[i] = dexp(-de);
    ZIG_W[i] = de / TWO_POW_53;
  }
}

/** Domain-separation constants so `substream` and `split` states never coincide by design. */
const DOMAIN_SUBSTREAM = 0x5eed5eed;
const DOMAIN_SPLIT = 0x5911f00d;

/** murmur3's 32-bit finaliser: a bijection on 32-bit words with full avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a, 32-bit, over the UTF-8 bytes of `s`. */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    // Encode UTF-8 on the fly so the hash is the standard byte-oriented FNV-1a.
    if (c < 0x80) {
      h = Math.imul(h ^ c, 0x01000193);
      continue;
    }
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >>> 6)), 0x01000193);
    } else if (c < 0x10000) {
      h = Math.imul(h ^ (0xe0 | (c >>> 12)), 0x01000193);
      h = Math.imul(h ^ (0x80 | ((c >>> 6) & 0x3f)), 0x01000193);
    } else {
      h = Math.imul(h ^ (0xf0 | (c >>> 18)), 0x01000193);
      h = Math.imul(h ^ (0x80 | ((c >>> 12) & 0x3f)), 0x01000193);
      h = Math.imul(h ^ (0x80 | ((c >>> 6) & 0x3f)), 0x01000193);
    }
    h = Math.imul(h ^ (0x80 | (c & 0x3f)), 0x01000193);
  }
  return h >>> 0;
}

/**
 * A stable 32-bit stream number for a node id: FNV-1a over UTF-8, then `fmix32` so that ids
 * differing in one character differ in about half the bits. FROZEN (see the file comment).
 */
export function streamId(name: string): number {
  return fmix32(fnv1a32(name));
}

/**
 * A bijective mixer on 128 bits (four 32-bit words), written into `out`.
 *
 * Every step is invertible (xor with a constant, `fmix32` per word, `a += d` / `b ^= a` chains),
 * so distinct inputs give distinct outputs. Four rounds make every output bit depend on every
 * input bit (rng.test.ts measures the avalanche). Not on any hot path.
 */
function mix128(a: number, b: number, c: number, d: number, domain: number, out: Int32Array): void {
  a ^= domain;
  b ^= 0x9e3779b9;
  c ^= 0x243f6a88;
  d ^= 0xb7e15162;
  for (let round = 0; round < 4; round++) {
    a = fmix32((a + Math.imul(round + 1, 0x632be5ab)) | 0);
    b = fmix32(b);
    c = fmix32(c);
    d = fmix32(d);
    a = (a + d) | 0;
    b ^= a;
    c = (c + b) | 0;
    d ^= c;
  }
  out[0] = a;
  out[1] = b;
  out[2] = c;
  out[3] = d;
  // The all-zero state is xoshiro's one fixed point; exactly one input maps there. Replace it.
  if ((a | b | c | d) === 0) out[0] = 0x6a09e667;
}

export class Rng {
  /**
   * The xoshiro128** state as int32 words; never all zero. An Int32Array rather than four
   * number fields because words above 2^30 are not Smis under V8 pointer compression (Chromium)
   * and would be boxed; a typed array keeps them raw in every engine.
   */
  private readonly s = new Int32Array(4);

  /** A generator with the raw state (s0, s1, s2, s3), as in the reference C code. Not all zero. */
  constructor(s0: number, s1: number, s2: number, s3: number) {
    if ((s0 | s1 | s2 | s3) === 0) throw new RangeError('Rng: the all-zero state is forbidden');
    this.s[0] = s0;
    this.s[1] = s1;
    this.s[2] = s2;
    this.s[3] = s3;
  }

  /** One xoshiro128** step; the output as an int32 (the uint32's bit pattern). */
  private step(): number {
    const s = this.s;
    const s0 = s[0];
    const s1 = s[1];
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    const s2 = s[2] ^ s0;
    const s3 = s[3] ^ s1;
    s[1] = s1 ^ s2;
    s[0] = s0 ^ s3;
    s[2] = s2 ^ t;
    s[3] = (s3 << 11) | (s3 >>> 21);
    return result;
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    return this.step() >>> 0;
  }

  /**
   * A uniform double in [0, 1) with 53 random bits: the top 27 bits of one output and the top
   * 26 of the next (the high bits are the best-mixed). Every value is a multiple of 2^-53, so
   * `1 - next()` is exact and lies in (0, 1].
   */
  next(): number {
    // Two xoshiro128** steps (exactly `step()` twice), written out with the state in locals:
    // one load and one store per state word instead of two, and a body small enough that the
    // optimiser inlines it at every sampler (it is the engine's hottest call). `(x * 5) | 0` is
    // Math.imul(x, 5) for an int32 x (the product is exact below 2^53, and `| 0` keeps its low
    // 32 bits), in less bytecode than a call to Math.imul.
    const s = this.s;
    let s0 = s[0];
    let s1 = s[1];
    let s2 = s[2];
    let s3 = s[3];
    let m = (s1 * 5) | 0;
    const hi = ((((m << 7) | (m >>> 25)) * 9) | 0) >>> 5;
    let t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    m = (s1 * 5) | 0;
    const lo = ((((m << 7) | (m >>> 25)) * 9) | 0) >>> 6;
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s[1] = s1 ^ s2;
    s[0] = s0 ^ s3;
    s[2] = s2 ^ t;
    s[3] = (s3 << 11) | (s3 >>> 21);
    return (hi * TWO_POW_26 + lo) * TWO_POW_MINUS_53;
  }

  /**
   * A standard exponential variate (mean 1): the ziggurat method of Marsaglia & Tsang (2000)
   * with 256 strips, drawing one 53-bit integer and an 8-bit strip index from the same two
   * xoshiro steps as `next()` (the index from bits `next()` throws away, so value and strip
   * are independent). 98.9% of draws end at the first comparison: a multiply instead of a
   * logarithm, about five times cheaper than `-log(1 - next())`, and the engine draws one or
   * two per request. The rare paths (wedges, tail) use detmath's exp/log, and the tables are
   * built with them at load: the same bits in every JavaScript engine.
   *
   * FROZEN with `next()`: every exponential the engine samples comes from here.
   */
  exponential(): number {
    const s = this.s;
    let s0 = s[0];
    let s1 = s[1];
    let s2 = s[2];
    let s3 = s[3];
    let m = (s1 * 5) | 0;
    const w1 = (((m << 7) | (m >>> 25)) * 9) | 0;
    let t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    m = (s1 * 5) | 0;
    const w2 = (((m << 7) | (m >>> 25)) * 9) | 0;
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s[1] = s1 ^ s2;
    s[0] = s0 ^ s3;
    s[2] = s2 ^ t;
    s[3] = (s3 << 11) | (s3 >>> 21);
    // j: the top 27 bits of the first word and the top 26 of the second (as in next());
    // strip: the low 5 bits of the first word and the low 3 of the second.
    const j = (w1 >>> 5) * TWO_POW_26 + (w2 >>> 6);
    const i = (w1 & 31) | ((w2 & 7) << 5);
    if (j < ZIG_K[i]) return j * ZIG_W[i];
    return this.exponentialSlow(i, j);
  }

  /** The ziggurat's rare cases: the base strip's tail, and points in a strip's wedge. */
  private exponentialSlow(i: number, j: number): number {
    for (;;) {
      // The base strip beyond its rectangle: the tail past R is R plus an exponential.
      if (i === 0) return ZIG_R - dlog(1 - this.next());
      const x = j * ZIG_W[i];
      if (ZIG_F[i] + this.next() * (ZIG_F[i - 1] - ZIG_F[i]) < dexp(-x)) return x;
      const u = this.next(); // a fresh point: 53 bits for j, then 8 bits for the strip
      j = u * TWO_POW_53;
      i = this.nextU32() >>> 24;
      if (j < ZIG_K[i]) return j * ZIG_W[i];
    }
  }

  /**
   * An independent child stream. Consumes four outputs of this stream and maps them through
   * the bijective mixer (with its own domain constant), so the child starts at an unrelated
   * point of the cycle. Deterministic: the same parent state gives the same child.
   */
  split(): Rng {
    const out = new Int32Array(4);
    mix128(this.step(), this.step(), this.step(), this.step(), DOMAIN_SPLIT, out);
    return new Rng(out[0], out[1], out[2], out[3]);
  }

  /** A copy with the same state (the copy and the original then produce the same sequence). */
  clone(): Rng {
    const s = this.s;
    return new Rng(s[0], s[1], s[2], s[3]);
  }
}

/**
 * The generator for (seed, replication, stream). `seed` is an integer (|seed| ≤ 2^53; its
 * fractional part is ignored); `replication` and `stream` are taken modulo 2^32 (use
 * `streamId(node.id)` for a node's stream). Same triple ⇒ same sequence; different triples ⇒
 * different states (the mixer is a bijection on the 128-bit input).
 */
export function substream(seed: number, replication: number, stream: number): Rng {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  const out = new Int32Array(4);
  mix128(lo, hi, replication >>> 0, stream >>> 0, DOMAIN_SUBSTREAM, out);
  return new Rng(out[0], out[1], out[2], out[3]);
}
