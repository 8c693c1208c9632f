/**
 * Deterministic elementary functions: the same bits in every JavaScript engine.
 *
 * WHY: `Math.log`, `Math.exp`, `Math.log1p`, `Math.expm1`, `Math.pow`, `Math.sin`, … are not
 * specified to the last bit (ECMA-262 says "implementation-approximated"), and they differ in
 * practice: Node 20 (V8 11.3) and Chromium 156 disagree in the last ulp for ~7% of `Math.log`
 * and ~10% of `Math.exp` arguments (measured on 20,000 uniform draws). One ulp in one sampled
 * service time changes every later sum, so "same model + seed ⇒ same numbers in Node and
 * Chromium" (ARCHITECTURE.md, principle 8) fails unless the engine avoids them.
 *
 * HOW: ports of fdlibm 5.3 (Sun Microsystems, freely redistributable; the algorithms behind
 * most libms): only +, −, ×, ÷ (IEEE 754 correctly rounded, hence identical everywhere) and
 * exact bit manipulation of float64s. `Math.sqrt`, `Math.floor`, `Math.abs`, `Math.min/max`
 * and `Math.imul` are exact by specification and stay safe to use.
 *
 * Accuracy: log, log1p, exp, expm1 < 1 ulp (fdlibm's bound). `pow` here is exp(y·log x) with
 * a compensated product: deterministic, a few ulps, fine for sampling; not for exact tests.
 */

// Bit access through shared typed-array views (much faster than a DataView on the hot path).
// Float64Array and Int32Array share the platform's byte order; on little-endian machines (every
// platform this runs on) the high word is index 1. Checked once at load.
const F64 = new Float64Array(1);
const I32 = new Int32Array(F64.buffer);
const U32 = new Uint32Array(F64.buffer);
F64[0] = 1;
if (I32[1] !== 0x3ff00000) throw new Error('detmath: a little-endian platform is required');

function hi(x: number): number {
  F64[0] = x;
  return I32[1]; // signed, like fdlibm's int __HI
}
function lo(x: number): number {
  F64[0] = x;
  return U32[0];
}
function withHi(x: number, h: number): number {
  F64[0] = x;
  I32[1] = h | 0;
  return F64[0];
}

const LN2_HI = 6.93147180369123816490e-1; // 0x3fe62e42 fee00000
const LN2_LO = 1.90821492927058770002e-10; // 0x3dea39ef 35793c76
const TWO54 = 1.8014398509481984e16;
const LG1 = 6.666666666666735130e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;

/**
 * 2^j for j = −POW2_BIAS..POW2_BIAS at POW2[POW2_BIAS + j], built by exact doublings and
 * halvings (0 and Infinity beyond the double range; never read there).
 */
const POW2_BIAS = 1100;
const POW2 = new Float64Array(2 * POW2_BIAS + 1);
for (let j = 0, up = 1, down = 1; j <= POW2_BIAS; j++, up *= 2, down /= 2) {
  POW2[POW2_BIAS + j] = up;
  POW2[POW2_BIAS - j] = down;
}

/**
 * Natural logarithm (fdlibm e_log.c), bit for bit. The engine's hottest function after the
 * event loop (every exponential draw), so it is split: this body is fdlibm's path for positive
 * normal x not within 2^-20 of a power of two, kept small enough for the optimiser to inline
 * it where it is called (no call, no boxed argument or result); every other input (zero,
 * negative, subnormal, infinite, NaN, the |f| < 2^-20 short path) goes to `logAll`, the whole
 * algorithm. The same operations in the same order, hence the same bits; detmath.test checks
 * both against the literal port on every kind of input.
 */
export function log(x: number): number {
  F64[0] = x;
  const hx = I32[1];
  if (hx < 0x00100000 || hx >= 0x7ff00000) return logAll(x);
  const m = hx & 0x000fffff;
  if ((0x000fffff & (2 + m)) < 3) return logAll(x);
  const e = hx >> 20;
  const i = (m + 0x95f64) & 0x100000;
  const k = e - 1023 + (i >> 20);
  // x or x/2 into [√2/2, √2): see logAll.
  const f = x * POW2[POW2_BIAS + (0x3ff - (i >> 20)) - e] - 1.0;
  const s = f / (2.0 + f);
  const z = s * s;
  const w = z * z;
  const R = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7))) + w * (LG2 + w * (LG4 + w * LG6));
  if (((m - 0x6147a) | (0x6b851 - m)) > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + R)) : k * LN2_HI - (hfsq - (s * (hfsq + R) + k * LN2_LO) - f);
  }
  return k === 0 ? f - s * (f - R) : k * LN2_HI - (s * (f - R) - k * LN2_LO - f);
}

// The calls to logAll in `log` are rare on the engine's path (a uniform draw within 2^-20 of
// a power of two: a few per million). Made now, so that code inlining `log` has seen them and
// is not thrown away (deoptimised) the first time one happens in the middle of a run. Some
// hundreds of times: V8 starts recording what a function sees only once it has run a while.
for (let i = 0; i < 512; i++) log(i & 1);

/**
 * fdlibm's log on any input. The bit access is trimmed: one store of x and one load of its
 * high word (the low word only for zeros and subnormals), and the normalisation multiplies by
 * an exact power of two instead of rewriting the exponent bits: same double, without a 32-bit
 * store followed by a 64-bit load of the same bytes, which store forwarding cannot serve.
 */
function logAll(x: number): number {
  F64[0] = x;
  let hx = I32[1];
  let k = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | U32[0]) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54; // subnormal: scale up
    F64[0] = x;
    hx = I32[1];
  }
  if (hx >= 0x7ff00000) return x + x;
  const e = hx >> 20; // biased exponent: x is positive and normal here
  k += e - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  // fdlibm: x = withHi(x, hx | (i ^ 0x3ff00000)), i.e. exponent 0x3ff − (i >> 20): x or x/2
  // into [√2/2, √2). Scaling by 2^(new − old exponent) is exact and gives the same bits.
  x *= POW2[POW2_BIAS + (0x3ff - (i >> 20)) - e];
  k += i >> 20;
  const f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    // |f| < 2^-20
    if (f === 0) return k === 0 ? 0 : k * LN2_HI + k * LN2_LO;
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - R : k * LN2_HI - (R - k * LN2_LO - f);
  }
  const s = f / (2.0 + f);
  const dk = k;
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + R)) : dk * LN2_HI - (hfsq - (s * (hfsq + R) + dk * LN2_LO) - f);
  }
  return k === 0 ? f - s * (f - R) : dk * LN2_HI - (s * (f - R) - dk * LN2_LO - f);
}

/** log(1 + x), accurate near 0 (fdlibm s_log1p.c). */
export function log1p(x: number): number {
  const hx = hi(x);
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0;
  let c = 0;
  let hu = 0;
  if (hx < 0x3fda827a) {
    // x < 0.41422
    if (ax >= 0x3ff00000) {
      // x <= -1
      return x === -1 ? -Infinity : NaN;
    }
    if (ax < 0x3e200000) {
      // |x| < 2^-29
      if (ax < 0x3c900000) return x; // |x| < 2^-54
      return x - x * x * 0.5;
    }
    if (hx > 0 || hx <= (0xbfd2bec3 | 0)) {
      // -0.2929 < x < 0.41422
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) return x + x;
  if (k !== 0) {
    let u: number;
    if (hx < 0x43400000) {
      u = 1.0 + x;
      hu = hi(u);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0); // correction term
      c /= u;
    } else {
      u = x;
      hu = hi(u);
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    if (hu < 0x6a09e) {
      u = withHi(u, hu | 0x3ff00000); // normalise u
    } else {
      k += 1;
      u = withHi(u, hu | 0x3fe00000); // normalise u/2
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1.0;
  }
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    // |f| < 2^-20
    if (f === 0) {
      if (k === 0) return 0;
      c += k * LN2_LO;
      return k * LN2_HI + c;
    }
    const R = hfsq * (1.0 - 0.66666666666666666 * f);
    return k === 0 ? f - R : k * LN2_HI - (R - (k * LN2_LO + c) - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const R = z * (LG1 + z * (LG2 + z * (LG3 + z * (LG4 + z * (LG5 + z * (LG6 + z * LG7))))));
  return k === 0 ? f - (hfsq - s * (hfsq + R)) : k * LN2_HI - (hfsq - (s * (hfsq + R) + (k * LN2_LO + c)) - f);
}

const O_THRESHOLD = 7.09782712893383973096e2;
const U_THRESHOLD = -7.45133219101941108420e2;
const INVLN2 = 1.44269504088896338700;
const TWOM1000 = 9.33263618503218878990e-302;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;

/** e^x (fdlibm e_exp.c). */
export function exp(x: number): number {
  let hx = hi(x);
  const xsb = (hx >>> 31) & 1;
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    // |x| >= 709.78…
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | lo(x)) !== 0) return x + x; // NaN
      return xsb === 0 ? x : 0;
    }
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0;
  }
  let k = 0;
  let hiPart = 0;
  let loPart = 0;
  if (hx > 0x3fd62e42) {
    // |x| > 0.5 ln2
    if (hx < 0x3ff0a2b2) {
      // and |x| < 1.5 ln2
      hiPart = xsb === 0 ? x - LN2_HI : x + LN2_HI;
      loPart = xsb === 0 ? LN2_LO : -LN2_LO;
      k = 1 - xsb - xsb;
    } else {
      k = Math.trunc(INVLN2 * x + (xsb === 0 ? 0.5 : -0.5));
      const t = k;
      hiPart = x - t * LN2_HI; // exact
      loPart = t * LN2_LO;
    }
    x = hiPart - loPart;
  } else if (hx < 0x3e300000) {
    // |x| < 2^-28
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2.0) - x);
  const y = 1 - (loPart - (x * c) / (2.0 - c) - hiPart);
  if (k >= -1021) {
    if (k === 1024) return withHi(y, hi(y) + (1023 << 20)) * 2; // 2^1024 overflows the exponent field
    return withHi(y, hi(y) + (k << 20));
  }
  return withHi(y, hi(y) + ((k + 1000) << 20)) * TWOM1000;
}

const Q1 = -3.33333333333331316428e-2;
const Q2 = 1.58730158725481460165e-3;
const Q3 = -7.93650757867487942473e-5;
const Q4 = 4.00821782732936239552e-6;
const Q5 = -2.01099218183624371326e-7;

/** e^x − 1, accurate near 0 (fdlibm s_expm1.c). */
export function expm1(x: number): number {
  let hx = hi(x);
  const negative = hx < 0;
  hx &= 0x7fffffff;
  if (hx >= 0x4043687a) {
    // |x| >= 56 ln2
    if (hx >= 0x40862e42) {
      if (hx >= 0x7ff00000) {
        if (((hx & 0xfffff) | lo(x)) !== 0) return x + x;
        return negative ? -1 : x;
      }
      if (x > O_THRESHOLD) return Infinity;
    }
    if (negative) return -1; // x < −56 ln2
  }
  let k = 0;
  let c = 0;
  if (hx > 0x3fd62e42) {
    // |x| > 0.5 ln2
    let hiPart: number;
    let loPart: number;
    if (hx < 0x3ff0a2b2) {
      if (!negative) {
        hiPart = x - LN2_HI;
        loPart = LN2_LO;
        k = 1;
      } else {
        hiPart = x + LN2_HI;
        loPart = -LN2_LO;
        k = -1;
      }
    } else {
      k = Math.trunc(INVLN2 * x + (negative ? -0.5 : 0.5));
      const t = k;
      hiPart = x - t * LN2_HI;
      loPart = t * LN2_LO;
    }
    x = hiPart - loPart;
    c = hiPart - x - loPart;
  } else if (hx < 0x3c900000) {
    // |x| < 2^-54
    return x;
  }
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  let t = 3.0 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6.0 - x * t));
  if (k === 0) return x - (x * e - hxs);
  e = x * (e - c) - c;
  e -= hxs;
  if (k === -1) return 0.5 * (x - e) - 0.5;
  if (k === 1) return x < -0.25 ? -2.0 * (e - (x + 0.5)) : 1 + 2.0 * (x - e);
  if (k <= -2 || k > 56) {
    let y = 1 - (e - x);
    if (k === 1024) y = withHi(y, hi(y) + (1023 << 20)) * 2;
    else y = withHi(y, hi(y) + (k << 20));
    return y - 1;
  }
  let y: number;
  if (k < 20) {
    t = withHi(0, 0x3ff00000 - (0x200000 >> k)); // 1 − 2^-k
    y = t - (e - x);
    y = withHi(y, hi(y) + (k << 20));
  } else {
    t = withHi(0, (0x3ff - k) << 20); // 2^-k
    y = x - (e + t);
    y += 1;
    y = withHi(y, hi(y) + (k << 20));
  }
  return y;
}

/** Split a float64 into a high part with 26 significant bits and the rest (Dekker). */
function split(a: number): [number, number] {
  const c = 134217729 * a; // 2^27 + 1
  const h = c - (c - a);
  return [h, a - h];
}

/**
 * x^y for x > 0 (and the simple special cases), as exp(y · log x) with the product carried in
 * two parts. Deterministic everywhere; a few ulps from the correctly rounded value.
 */
export function pow(x: number, y: number): number {
  if (y === 0) return 1;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (y === 1) return x;
  if (x === 1) return 1;
  if (x === 0) return y > 0 ? 0 : Infinity;
  if (x < 0) {
    if (!Number.isInteger(y)) return NaN;
    const r = pow(-x, y);
    return y % 2 === 0 ? r : -r;
  }
  if (Number.isInteger(y) && Math.abs(y) <= 64) {
    // Small integer powers by repeated squaring: exact whenever the result is representable.
    let n = Math.abs(y);
    let r = 1;
    let b = x;
    while (n > 0) {
      if (n & 1) r *= b;
      b *= b;
      n >>= 1;
    }
    return y < 0 ? 1 / r : r;
  }
  if (y === 0.5 && x !== Infinity) return Math.sqrt(x);
  if (x === Infinity) return y > 0 ? Infinity : 0;
  const l = log(x);
  // p = y·l exactly as ph + pl (Dekker's product), then exp(ph) · (1 + pl).
  const ph = y * l;
  if (!Number.isFinite(ph)) return ph > 0 ? Infinity : 0;
  const [yh, yl] = split(y);
  const [lh, ll] = split(l);
  const pl = yh * lh - ph + yh * ll + yl * lh + yl * ll;
  const e = exp(ph);
  return e + e * pl;
}

/**
 * cot(π·t) for t in (0, ½], by Taylor series of sin and cos on [0, π/2] (only +, −, ×, ÷ in a
 * fixed order, hence the same bits everywhere). Student's t with one degree of freedom needs it.
 */
export function cotPi(t: number): number {
  const a = Math.PI * t;
  const a2 = a * a;
  let s = a;
  let c = 1;
  let ts = a;
  let tc = 1;
  for (let k = 1; k <= 30; k++) {
    ts *= -a2 / ((2 * k) * (2 * k + 1));
    tc *= -a2 / ((2 * k - 1) * (2 * k));
    s += ts;
    c += tc;
  }
  return c / s;
}
