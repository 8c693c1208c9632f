import { describe, expect, it } from 'vitest';
import { exactSetting, formatEventRate, formatSetting, formatTime, formatValue, matchesNode, sig, timeUnit, trim } from './format.ts';

describe('format', () => {
  it('keeps three significant digits', () => {
    expect(sig(1)).toBe('1.00');
    expect(sig(0.993)).toBe('0.993');
    expect(sig(19870)).toBe('19870');
    expect(sig(-0.5)).toBe('−0.500');
    expect(sig(NaN)).toBe('—');
    expect(sig(Infinity)).toBe('∞');
    expect(trim(95)).toBe('95');
    expect(trim(0.5)).toBe('0.5');
  });

  it('picks a readable time unit', () => {
    expect(formatTime(1)).toBe('1.00 s');
    expect(formatTime(0.5)).toBe('500 ms');
    expect(formatTime(2.4e-6)).toBe('2.40 µs');
    expect(formatTime(90)).toBe('90.0 s');
    expect(formatTime(20000)).toBe('5.56 h');
    expect(formatSetting(0.5)).toBe('500 ms');
    expect(formatSetting(2000)).toBe('33.3 min');
    expect(timeUnit(0)).toEqual([1, 's']);
  });

  it('shares the unit of the mean for a half-width', () => {
    expect(formatValue(0.0163, 'time', 1.0)).toBe('0.0163 s');
    expect(formatValue(0.5, 'fraction')).toBe('50.0 %');
    expect(formatValue(NaN, 'rate')).toBe('—');
    expect(formatEventRate(1.1e6)).toBe('1.10 M events/s');
  });
});

describe('exactSetting', () => {
  it('writes a duration exactly, in the largest unit that needs few digits', () => {
    expect(exactSetting(20000)).toBe('20000 s');
    expect(exactSetting(7200)).toBe('2 h');
    expect(exactSetting(0.0017)).toBe('1.7 ms');
    expect(exactSetting(0.000038)).toBe('38 µs');
    expect(exactSetting(300)).toBe('5 min');
    expect(exactSetting(0)).toBe('0 s');
  });
});

describe('matchesNode', () => {
  it('finds the needle in the id, the label or the kind', () => {
    const n = { id: 'api_7', label: 'Checkout API', kind: 'server' };
    expect(matchesNode('api_7', n)).toBe(true);
    expect(matchesNode('checkout', n)).toBe(true);
    expect(matchesNode('serv', n)).toBe(true);
    expect(matchesNode('queue', n)).toBe(false);
    expect(matchesNode('api', { id: 'q', kind: 'queue' })).toBe(false);
  });
});
