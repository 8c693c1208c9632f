/**
 * Quantities with units: parsing what people write ("100 ms", "5/s", "1.5 KiB", "10 Gbit/s")
 * into base units, and formatting base units back into something readable.
 *
 * Base units: seconds, 1/s, bytes, bit/s. A bare number (or a string holding only a number) is
 * already in base units. Parsing never throws: it returns `{ ok, value } | { ok: false, message }`.
 *
 * Unit names are case-sensitive on purpose: "ms" is a millisecond and "Ms" is nothing, "MB" is
 * 10^6 bytes and "Mb" is nothing (bits are written "Mbit/s" or "Mbps", and only as bandwidth).
 *
 * WARNING: the accepted unit spellings are part of the saved-document format (MODEL.md §1).
 * Adding a spelling is fine; removing or changing one breaks saved models.
 */

export type UnitKind = 'duration' | 'rate' | 'size' | 'bandwidth';

export type Parsed = { ok: true; value: number } | { ok: false; message: string };

/* ------------------------------------------------------------------------------------------
 * Unit tables. Each entry: spelling → factor to the base unit.
 * ---------------------------------------------------------------------------------------- */

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-9,
  nsec: 1e-9,
  us: 1e-6,
  'µs': 1e-6, // U+00B5 MICRO SIGN
  'μs': 1e-6, // U+03BC GREEK SMALL LETTER MU: looks the same, so accept both
  usec: 1e-6,
  ms: 1e-3,
  msec: 1e-3,
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600
};

/** Rates are written "N/unit": the factor turns "per unit" into "per second". */
const RATE_UNITS: Record<string, number> = {
  '/s': 1,
  '/ms': 1e3,
  '/min': 1 / 60,
  '/h': 1 / 3600
};

const SIZE_UNITS: Record<string, number> = {
  B: 1,
  byte: 1,
  bytes: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
  KB: 1e3,
  kB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12
};

const BANDWIDTH_UNITS: Record<string, number> = {
  'bit/s': 1,
  bps: 1,
  'Kbit/s': 1e3,
  'kbit/s': 1e3,
  Kbps: 1e3,
  kbps: 1e3,
  'Mbit/s': 1e6,
  Mbps: 1e6,
  'Gbit/s': 1e9,
  Gbps: 1e9,
  'Tbit/s': 1e12,
  Tbps: 1e12
};

const TABLES: Record<UnitKind, Record<string, number>> = {
  duration: DURATION_UNITS,
  rate: RATE_UNITS,
  size: SIZE_UNITS,
  bandwidth: BANDWIDTH_UNITS
};

/** What a person is shown when a value does not parse. */
const EXAMPLES: Record<UnitKind, string> = {
  duration: 'a duration like "100 ms"',
  rate: 'a rate like "5/s"',
  size: 'a size like "1 KiB"',
  bandwidth: 'a bandwidth like "10 Gbit/s"'
};

/** The spellings a person is reminded of when a unit is unknown (the main ones only). */
const MAIN_UNITS: Record<UnitKind, string> = {
  duration: 'ns, us, µs, ms, s, min or h',
  rate: '/s, /ms, /min or /h, as in "5/s"',
  size: 'B, KiB, MiB, GiB, KB, MB or GB',
  bandwidth: 'bit/s, Kbit/s, Mbit/s, Gbit/s (or bps, Kbps, Mbps, Gbps)'
};

/* ------------------------------------------------------------------------------------------
 * Patterns. Also exported into the JSON Schema (as `pattern`), so keep them ECMA-262 only.
 * ---------------------------------------------------------------------------------------- */

const NUMBER_SOURCE = '[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?';

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function alternation(kind: UnitKind): string {
  // Longest first so that "ms" is not read as "m" + "s" by engines that backtrack oddly.
  return Object.keys(TABLES[kind])
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
    .map(escapeRe)
    .join('|');
}

function buildPattern(kind: UnitKind): RegExp {
  const unit =
    kind === 'rate'
      ? `(?:\\s*/\\s*(?:${alternation(kind).replace(/\\\//g, '')}))?`
      : `(?:\\s*(?:${alternation(kind)}))?`;
  return new RegExp(`^\\s*${NUMBER_SOURCE}${unit}\\s*$`);
}

/**
 * A string with a number and an optional unit of this kind. Matching the pattern guarantees
 * that the parse succeeds syntactically (the number may still be out of range, or infinite for
 * absurd exponents such as "1e999 s").
 */
export const UNIT_PATTERNS: Record<UnitKind, RegExp> = {
  duration: buildPattern('duration'),
  rate: buildPattern('rate'),
  size: buildPattern('size'),
  bandwidth: buildPattern('bandwidth')
};

const SPLIT = new RegExp(`^\\s*(${NUMBER_SOURCE})\\s*(.*?)\\s*$`, 's');

/* ------------------------------------------------------------------------------------------
 * Parsing.
 * ---------------------------------------------------------------------------------------- */

/**
 * n × factor, dividing by the exact integer 1/factor for sub-unit factors: 5 / 1e6 is the
 * double nearest to 5 µs, while 5 × 1e-6 is one ulp off.
 */
function scaleUp(n: number, factor: number): number {
  return factor < 1 ? n / Math.round(1 / factor) : n * factor;
}

/** x ÷ factor, the inverse of scaleUp with the same care. */
function scaleDown(x: number, factor: number): number {
  return factor < 1 ? x * Math.round(1 / factor) : x / factor;
}

/** A short, human description of any value for error messages: `"ten"`, `-1`, `a list`. */
export function describeValue(x: unknown): string {
  if (x === undefined) return 'nothing';
  if (x === null) return 'null';
  if (typeof x === 'string') {
    const s = x.length > 40 ? `${x.slice(0, 37)}...` : x;
    return JSON.stringify(s);
  }
  if (typeof x === 'number') return Object.is(x, -0) ? '0' : String(x);
  if (typeof x === 'boolean') return String(x);
  if (typeof x === 'bigint') return `the big integer ${x}`;
  if (typeof x === 'symbol') return 'a symbol';
  if (typeof x === 'function') return 'a function';
  if (Array.isArray(x)) return x.length === 0 ? 'an empty list' : 'a list';
  const proto: unknown = Object.getPrototypeOf(x);
  if (proto === Object.prototype || proto === null) return 'an object';
  const name = (x as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name ? `a ${name}` : 'an object';
}

/** Parse a quantity of the given kind. Never throws. */
export function parseQuantity(kind: UnitKind, input: unknown): Parsed {
  const example = EXAMPLES[kind];
  if (typeof input === 'number') {
    if (Number.isFinite(input)) return { ok: true, value: input };
    return { ok: false, message: `expected ${example}, got ${describeValue(input)}` };
  }
  if (typeof input !== 'string') {
    return { ok: false, message: `expected ${example}, got ${describeValue(input)}` };
  }
  const m = SPLIT.exec(input);
  if (!m) return { ok: false, message: `expected ${example}, got ${describeValue(input)}` };
  const n = Number(m[1]);
  let unit = m[2];
  let factor = 1;
  if (unit !== '') {
    if (kind === 'rate') unit = unit.replace(/^\/\s*/, '/');
    const f = TABLES[kind][unit];
    if (f === undefined) {
      return {
        ok: false,
        message: `expected ${example}, got ${describeValue(input)} (unknown unit "${unit}"; use ${MAIN_UNITS[kind]})`
      };
    }
    factor = f;
  }
  const value = scaleUp(n, factor);
  if (!Number.isFinite(value)) {
    return { ok: false, message: `expected ${example}, got ${describeValue(input)} (too large)` };
  }
  // Normalise -0 so that formatting and equality behave.
  return { ok: true, value: value === 0 ? 0 : value };
}

/** Seconds from "100 ms", "1.5e-3 s", "2 min" or a bare number of seconds. */
export const parseDuration = (input: unknown): Parsed => parseQuantity('duration', input);
/** Per second from "5/s", "200/ms", "30/min", "2/h" or a bare number per second. */
export const parseRate = (input: unknown): Parsed => parseQuantity('rate', input);
/** Bytes from "512 B", "1.5 KiB", "1 GB" or a bare number of bytes. */
export const parseSize = (input: unknown): Parsed => parseQuantity('size', input);
/** Bits per second from "10 Gbit/s", "100 Mbps" or a bare number of bit/s. */
export const parseBandwidth = (input: unknown): Parsed => parseQuantity('bandwidth', input);

/* ------------------------------------------------------------------------------------------
 * Formatting.
 * ---------------------------------------------------------------------------------------- */

export interface FormatOptions {
  /** Significant digits (default 4). Use 17 for a lossless round trip. */
  digits?: number;
}

/** `x` rounded to `digits` significant digits, written without needless zeros. */
export function formatNumber(x: number, digits = 4): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  if (x === 0) return '0';
  const d = Math.min(17, Math.max(1, Math.round(digits)));
  // Never round away integer digits: 12345/s stays 12345/s, not 12350/s.
  if (Math.abs(x) >= 10 ** d && Math.abs(x) < 1e21) return String(Math.round(x));
  return String(Number(x.toPrecision(d)));
}

function roundTo(x: number, digits: number): number {
  return digits >= 17 ? x : Number(x.toPrecision(Math.max(1, Math.min(17, Math.round(digits)))));
}

type Scale = readonly (readonly [number, string])[];

// Largest first. A value uses the first unit it is at least as large as.
const DURATION_SCALE: Scale = [
  [3600, 'h'],
  [60, 'min'],
  [1, 's'],
  [1e-3, 'ms'],
  [1e-6, 'µs'],
  [1e-9, 'ns']
];
const SIZE_SCALE: Scale = [
  [1024 ** 4, 'TiB'],
  [1024 ** 3, 'GiB'],
  [1024 ** 2, 'MiB'],
  [1024, 'KiB'],
  [1, 'B']
];
const BANDWIDTH_SCALE: Scale = [
  [1e12, 'Tbit/s'],
  [1e9, 'Gbit/s'],
  [1e6, 'Mbit/s'],
  [1e3, 'Kbit/s'],
  [1, 'bit/s']
];

function formatScaled(x: number, scale: Scale, sep: string, opts?: FormatOptions): string {
  const digits = opts?.digits ?? 4;
  if (!Number.isFinite(x)) return formatNumber(x);
  const smallest = scale[scale.length - 1];
  if (x === 0) return `0${sep}${scale.find(([f]) => f === 1)?.[1] ?? smallest[1]}`;
  // Choose the unit by the rounded value, so 999.96 µs becomes "1 ms" and not "1000 µs"; then
  // round only once, in that unit.
  const a = Math.abs(roundTo(x, digits));
  const [factor, name] = scale.find(([f]) => a >= f) ?? smallest;
  return `${formatNumber(scaleDown(x, factor), digits)}${sep}${name}`;
}

/** "2 µs", "1.5 ms", "3.2 s", "4.5 min", "2 h". */
export function formatDuration(seconds: number, opts?: FormatOptions): string {
  return formatScaled(seconds, DURATION_SCALE, ' ', opts);
}

/** "512 B", "1.5 KiB", "1 GiB" (binary multiples on output). */
export function formatSize(bytes: number, opts?: FormatOptions): string {
  return formatScaled(bytes, SIZE_SCALE, ' ', opts);
}

/** "10 Gbit/s", "100 Mbit/s", "∞" for an unlimited link. */
export function formatBandwidth(bitsPerSecond: number, opts?: FormatOptions): string {
  return formatScaled(bitsPerSecond, BANDWIDTH_SCALE, ' ', opts);
}

/**
 * "5/s", "200/ms", "30/min", "2/h". Per second from 0.1/s up to 100,000/s; per millisecond above;
 * per minute or per hour for slow rates.
 */
export function formatRate(perSecond: number, opts?: FormatOptions): string {
  const digits = opts?.digits ?? 4;
  if (!Number.isFinite(perSecond)) return formatNumber(perSecond);
  if (perSecond === 0) return '0/s';
  const r = perSecond;
  const a = Math.abs(roundTo(r, digits));
  if (a >= 1e5) return `${formatNumber(r / 1e3, digits)}/ms`;
  if (a >= 0.1) return `${formatNumber(r, digits)}/s`;
  if (a * 60 >= 1) return `${formatNumber(r * 60, digits)}/min`;
  return `${formatNumber(r * 3600, digits)}/h`;
}

/** Format a base-unit value of any kind. */
export function formatQuantity(kind: UnitKind, value: number, opts?: FormatOptions): string {
  switch (kind) {
    case 'duration':
      return formatDuration(value, opts);
    case 'rate':
      return formatRate(value, opts);
    case 'size':
      return formatSize(value, opts);
    case 'bandwidth':
      return formatBandwidth(value, opts);
  }
}

/** What a quantity of this kind looks like, for messages: 'a duration like "100 ms"'. */
export function unitExample(kind: UnitKind): string {
  return EXAMPLES[kind];
}
