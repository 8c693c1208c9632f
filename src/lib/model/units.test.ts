import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeValue,
  formatBandwidth,
  formatDuration,
  formatNumber,
  formatQuantity,
  formatRate,
  formatSize,
  parseBandwidth,
  parseDuration,
  parseQuantity,
  parseRate,
  parseSize,
  UNIT_PATTERNS,
  type UnitKind
} from './units.ts';

function value(p: ReturnType<typeof parseDuration>): number {
  if (!p.ok) throw new Error(p.message);
  return p.value;
}

function closeTo(a: number, b: number, rel: number): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
}

describe('parseDuration', () => {
  it.each([
    ['100ms', 0.1],
    ['100 ms', 0.1],
    ['  100 ms  ', 0.1],
    ['1.5e-3 s', 0.0015],
    ['1.5E-3s', 0.0015],
    ['.5 s', 0.5],
    ['5. s', 5],
    ['2 ns', 2e-9],
    ['2 us', 2e-6],
    ['2 µs', 2e-6], // micro sign
    ['2 μs', 2e-6], // Greek mu
    ['3 min', 180],
    ['2 h', 7200],
    ['1 hour', 3600],
    ['10 sec', 10],
    ['7', 7],
    ['-1 s', -1],
    ['+3 ms', 0.003],
    ['0 s', 0],
    ['-0 s', 0]
  ])('%s → %f s', (input, expected) => {
    expect(closeTo(value(parseDuration(input)), expected, 1e-15)).toBe(true);
  });

  it('takes bare numbers as seconds', () => {
    expect(parseDuration(0.25)).toEqual({ ok: true, value: 0.25 });
  });

  it('says what it expected and what it got', () => {
    expect(parseDuration('ten')).toEqual({ ok: false, message: 'expected a duration like "100 ms", got "ten"' });
    expect(parseDuration(true)).toEqual({ ok: false, message: 'expected a duration like "100 ms", got true' });
    expect(parseDuration(null)).toEqual({ ok: false, message: 'expected a duration like "100 ms", got null' });
    expect(parseDuration(undefined)).toEqual({ ok: false, message: 'expected a duration like "100 ms", got nothing' });
    expect(parseDuration('')).toEqual({ ok: false, message: 'expected a duration like "100 ms", got ""' });
    expect(parseDuration('ms').ok).toBe(false);
  });

  it('names an unknown unit', () => {
    const p = parseDuration('100 parsecs');
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.message).toContain('unknown unit "parsecs"');
    // Units are case-sensitive: "MS" is not a millisecond.
    expect(parseDuration('5 MS').ok).toBe(false);
    // A rate is not a duration.
    expect(parseDuration('5/s').ok).toBe(false);
  });

  it('refuses non-finite values', () => {
    expect(parseDuration(NaN).ok).toBe(false);
    expect(parseDuration(Infinity).ok).toBe(false);
    const p = parseDuration('1e999 s');
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.message).toContain('too large');
  });
});

describe('parseRate, parseSize, parseBandwidth', () => {
  it.each([
    ['5/s', 5],
    ['5 /s', 5],
    ['5 / s', 5],
    ['200/ms', 200_000],
    ['30/min', 0.5],
    ['36/h', 0.01],
    ['12', 12]
  ])('rate %s → %f/s', (input, expected) => {
    expect(closeTo(value(parseRate(input)), expected, 1e-15)).toBe(true);
  });

  it.each([
    ['512 B', 512],
    ['1 KiB', 1024],
    ['1.5 KiB', 1536],
    ['1 MiB', 1024 ** 2],
    ['1 GiB', 1024 ** 3],
    ['1 KB', 1000],
    ['1 kB', 1000],
    ['2 MB', 2e6],
    ['3 GB', 3e9],
    ['64', 64]
  ])('size %s → %f B', (input, expected) => {
    expect(value(parseSize(input))).toBe(expected);
  });

  it.each([
    ['10 Gbit/s', 1e10],
    ['10 Gbps', 1e10],
    ['100 Mbit/s', 1e8],
    ['100 Mbps', 1e8],
    ['1 Kbit/s', 1e3],
    ['1 Kbps', 1e3],
    ['9600 bit/s', 9600],
    ['9600 bps', 9600],
    ['1e9', 1e9]
  ])('bandwidth %s → %f bit/s', (input, expected) => {
    expect(value(parseBandwidth(input))).toBe(expected);
  });

  it('gives kind-specific messages', () => {
    expect(parseRate('fast')).toEqual({ ok: false, message: 'expected a rate like "5/s", got "fast"' });
    expect(parseSize('big')).toEqual({ ok: false, message: 'expected a size like "1 KiB", got "big"' });
    expect(parseBandwidth('fast')).toEqual({
      ok: false,
      message: 'expected a bandwidth like "10 Gbit/s", got "fast"'
    });
    // Bits are not bytes: "Mb" is neither.
    expect(parseSize('1 Mb').ok).toBe(false);
  });
});

describe('formatting', () => {
  it.each([
    [2e-6, '2 µs'],
    [0.0015, '1.5 ms'],
    [3.2, '3.2 s'],
    [270, '4.5 min'],
    [7200, '2 h'],
    [0, '0 s'],
    [5e-10, '0.5 ns'],
    [59, '59 s'],
    [0.1, '100 ms'],
    [1 / 3, '333.3 ms'],
    [0.00099996, '1 ms'], // rounds up into the next unit, not "1000 µs"
    [-0.002, '-2 ms']
  ])('duration %f → %s', (x, s) => {
    expect(formatDuration(x)).toBe(s);
  });

  it.each([
    [512, '512 B'],
    [1536, '1.5 KiB'],
    [1024 ** 3, '1 GiB'],
    [0, '0 B']
  ])('size %f → %s', (x, s) => {
    expect(formatSize(x)).toBe(s);
  });

  it.each([
    [1e10, '10 Gbit/s'],
    [1e8, '100 Mbit/s'],
    [1500, '1.5 Kbit/s'],
    [Infinity, '∞']
  ])('bandwidth %f → %s', (x, s) => {
    expect(formatBandwidth(x)).toBe(s);
  });

  it.each([
    [5, '5/s'],
    [200_000, '200/ms'],
    [12_345, '12345/s'],
    [0.5, '0.5/s'],
    [0.05, '3/min'],
    [1 / 3600, '1/h'],
    [0, '0/s']
  ])('rate %f → %s', (x, s) => {
    expect(formatRate(x)).toBe(s);
  });

  it('formats numbers with a chosen precision', () => {
    expect(formatNumber(1 / 3)).toBe('0.3333');
    expect(formatNumber(1 / 3, 2)).toBe('0.33');
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(-Infinity)).toBe('-∞');
    expect(formatDuration(1 / 3, { digits: 2 })).toBe('333 ms'); // integer digits are never rounded away
  });
});

describe('round trips', () => {
  const kinds: UnitKind[] = ['duration', 'rate', 'size', 'bandwidth'];
  const magnitude = fc.oneof(
    fc.constant(0),
    fc.double({ min: 1e-15, max: 1e15, noNaN: true }),
    fc.double({ min: -1e15, max: -1e-15, noNaN: true })
  );

  it('parse(format(x, 17 digits)) ≈ x for every kind', () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), magnitude, (kind, x) => {
        const text = formatQuantity(kind, x, { digits: 17 });
        const p = parseQuantity(kind, text);
        return p.ok && closeTo(p.value, x, 1e-12) && UNIT_PATTERNS[kind].test(text);
      }),
      { numRuns: 3000 }
    );
  });

  it('parse(format(x)) is within the displayed precision (4 significant digits)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), magnitude, (kind, x) => {
        const p = parseQuantity(kind, formatQuantity(kind, x));
        return p.ok && closeTo(p.value, x, 5.0001e-4);
      }),
      { numRuns: 3000 }
    );
  });

  it('formatting is stable: format(parse(format(x))) === format(x)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), magnitude, (kind, x) => {
        const once = formatQuantity(kind, x);
        const p = parseQuantity(kind, once);
        return p.ok && formatQuantity(kind, p.value) === once;
      }),
      { numRuns: 2000 }
    );
  });

  it('every string the pattern accepts parses, with any spacing', () => {
    const units: Record<UnitKind, string[]> = {
      duration: ['ns', 'us', 'µs', 'μs', 'ms', 's', 'min', 'h', ''],
      rate: ['/s', '/ms', '/min', '/h', '/ s', ''],
      size: ['B', 'KiB', 'MiB', 'GiB', 'KB', 'MB', 'GB', ''],
      bandwidth: ['bit/s', 'Kbit/s', 'Mbit/s', 'Gbit/s', 'bps', 'Kbps', 'Mbps', 'Gbps', '']
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds).chain((kind) =>
          fc.tuple(
            fc.constant(kind),
            fc.double({ min: -1e6, max: 1e6, noNaN: true }),
            fc.constantFrom('', ' ', '  '),
            fc.constantFrom(...units[kind])
          )
        ),
        ([kind, n, space, unit]) => {
          const text = `${n}${space}${unit}`;
          return UNIT_PATTERNS[kind].test(text) && parseQuantity(kind, text).ok;
        }
      ),
      { numRuns: 2000 }
    );
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.oneof(fc.anything(), fc.string()), (kind, x) => {
        const p = parseQuantity(kind, x);
        return p.ok ? Number.isFinite(p.value) : typeof p.message === 'string' && p.message.length > 0;
      }),
      { numRuns: 3000 }
    );
  });
});

describe('describeValue', () => {
  it('describes values briefly', () => {
    expect(describeValue('ten')).toBe('"ten"');
    expect(describeValue(-1)).toBe('-1');
    expect(describeValue([])).toBe('an empty list');
    expect(describeValue([1])).toBe('a list');
    expect(describeValue({})).toBe('an object');
    expect(describeValue(new Map())).toBe('a Map');
    expect(describeValue(() => 1)).toBe('a function');
    expect(describeValue('x'.repeat(100))).toMatch(/^"x{37}\.\.\."$/);
  });
});
