/**
 * Readable numbers for the UI: every value in a unit a person reads at a glance (MODEL.md §1:
 * the engine works in seconds, the UI shows 12.3 ms). Pure functions, no DOM.
 */
import type { Dist, NormalizedNode } from '../model/types.ts';

/** What a number measures, which picks its unit. */
export type QuantityKind = 'time' | 'rate' | 'count' | 'number' | 'fraction' | 'probability';

const SIG = 3;

/** `x` to SIG significant digits, without exponent notation for everyday magnitudes. */
export function sig(x: number, digits = SIG): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : x < 0 ? '−∞' : '—';
  if (x === 0) return '0';
  const ax = Math.abs(x);
  if (ax >= 1e6 || ax < 1e-4) return x.toExponential(digits - 1).replace('-', '−');
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(ax)));
  return x.toFixed(Math.min(decimals, 8)).replace('-', '−');
}

/** Like `sig`, without trailing zeros: "1/s", "95 %", "0.5". For settings, not measurements. */
export function trim(x: number, digits = SIG): string {
  const s = sig(x, digits);
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s;
}

/** A rate of events: "1.44 M events/s". */
export function formatEventRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '— events/s';
  if (perSecond >= 1e6) return `${sig(perSecond / 1e6)} M events/s`;
  if (perSecond >= 1e3) return `${sig(perSecond / 1e3)} k events/s`;
  return `${sig(perSecond)} events/s`;
}

const TIME_UNITS: [number, string][] = [
  [3600, 'h'],
  [60, 'min'],
  [1, 's'],
  [1e-3, 'ms'],
  [1e-6, 'µs'],
  [1e-9, 'ns']
];

/** The time unit for a magnitude (seconds): the largest unit not larger than it. */
export function timeUnit(seconds: number): [number, string] {
  const a = Math.abs(seconds);
  if (!Number.isFinite(a) || a === 0) return [1, 's'];
  // Minutes and hours only from 10 min on: "90 s" reads better than "1.5 min".
  for (const [scale, name] of TIME_UNITS) {
    if (scale >= 60 && a < 600) continue;
    if (a >= scale) return [scale, name];
  }
  return [1e-9, 'ns'];
}

export function formatTime(seconds: number, unit = timeUnit(seconds), digits = sig): string {
  if (!Number.isFinite(seconds)) return sig(seconds);
  const [scale, name] = unit;
  return `${digits(seconds / scale)} ${name}`;
}

/** A time setting (not a measurement): no trailing zeros, "500 ms", "2 h". */
export function formatSetting(seconds: number): string {
  return formatTime(seconds, timeUnit(seconds), trim);
}

export function formatRate(perSecond: number, digits = sig): string {
  if (!Number.isFinite(perSecond)) return sig(perSecond);
  const a = Math.abs(perSecond);
  if (a >= 1e6) return `${digits(perSecond / 1e6)} M/s`;
  if (a >= 1e4) return `${digits(perSecond / 1e3)} k/s`;
  return `${digits(perSecond)}/s`;
}

export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return sig(n);
  if (Math.abs(n) >= 1e4) return Math.round(n).toLocaleString('en-US');
  return Number.isInteger(n) ? String(n) : sig(n);
}

/** A value of the given kind. `like` picks the unit (so a ± half-width shares the mean's unit). */
export function formatValue(x: number, kind: QuantityKind, like = x): string {
  if (Number.isNaN(x)) return '—';
  switch (kind) {
    case 'time':
      return formatTime(x, timeUnit(like));
    case 'rate':
      return formatRate(x);
    case 'count':
      return formatCount(x);
    case 'number':
      return sig(x);
    case 'fraction':
      return `${sig(x * 100)} %`;
    case 'probability':
      return sig(x);
  }
}

/** A bare distribution, in words: "exp, mean 500 ms". */
export function describeDist(d: Dist): string {
  switch (d.dist) {
    case 'det':
      return `fixed ${formatSetting(d.value)}`;
    case 'exp':
      return `exp, mean ${formatSetting(d.mean)}`;
    case 'uniform':
      return `uniform ${formatSetting(d.min)}–${formatSetting(d.max)}`;
    case 'erlang':
      return `Erlang-${d.k}, mean ${formatSetting(d.mean)}`;
    case 'hyperexp':
      return `hyperexponential (${d.p.length} phases)`;
    case 'lognormal':
      return `lognormal, median ${formatSetting(d.median)}, p99 ${formatSetting(d.p99)}`;
    case 'pareto':
      return `Pareto α=${trim(d.alpha)}, min ${formatSetting(d.min)}`;
    case 'weibull':
      return `Weibull k=${trim(d.shape)}, scale ${formatSetting(d.scale)}`;
    case 'bimodal':
      return `bimodal: ${describeDist(d.fast)} / ${trim(d.p * 100)} % ${describeDist(d.slow)}`;
    case 'empirical':
      return `empirical (${d.samples.length} samples)`;
  }
}

/** The key parameters of a node, in one short line. */
export function describeNode(node: NormalizedNode): string {
  switch (node.kind) {
    case 'client': {
      const p = node.params;
      if (p.mode === 'closed') return `closed: ${p.users} users, think ${describeDist(p.thinkTime)}`;
      if (p.interarrival) return `open: inter-arrival ${describeDist(p.interarrival)}`;
      const process = { poisson: 'Poisson', deterministic: 'evenly spaced', mmpp: 'bursty (MMPP)' }[p.process];
      return `open: ${process} arrivals at ${formatRate(p.rate, trim)}`;
    }
    case 'queue': {
      const p = node.params;
      const cap = Number.isFinite(p.capacity) ? `capacity ${p.capacity}` : 'unbounded';
      return `${p.discipline}, ${cap}`;
    }
    case 'server': {
      const p = node.params;
      const c = Number.isFinite(p.servers) ? `${p.servers} server${p.servers === 1 ? '' : 's'}` : '∞ servers';
      return `${c}, service ${describeDist(p.service)}${p.discipline === 'ps' ? ', processor sharing' : ''}`;
    }
    case 'link': {
      const p = node.params;
      return `latency ${describeDist(p.latency)}${p.loss > 0 ? `, loss ${trim(p.loss * 100)} %` : ''}`;
    }
    case 'router':
      return `${node.params.policy} routing`;
    case 'sink':
      return 'completes requests';
    default:
      return node.kind;
  }
}

/**
 * A duration written exactly, in the largest unit that needs at most six significant digits
 * ("20000 s", not "5.56 h"; "1.7 ms"), for form fields whose text is read back as the value.
 */
export function exactSetting(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds === 0) return `${seconds} s`;
  for (const [scale, name] of TIME_UNITS) {
    const x = seconds / scale;
    if (Math.abs(x) < 1) continue;
    const short = Number(x.toPrecision(6));
    if (Math.abs(short * scale - seconds) <= 1e-12 * Math.abs(seconds)) return `${short} ${name}`;
  }
  return `${seconds} s`;
}

/**
 * Whether a node answers a filter typed by the user: `needle` (already trimmed and lower-cased)
 * is in its id, its label or its kind. The outline and the results table filter alike.
 */
export function matchesNode(needle: string, node: { id: string; label?: string; kind: string }): boolean {
  return node.id.toLowerCase().includes(needle) || node.kind.includes(needle) || (node.label ?? '').toLowerCase().includes(needle);
}
