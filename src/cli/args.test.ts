import { describe, expect, it } from 'vitest';
import { scanArgs, type OptionReader } from './args';

describe('scanArgs: the rules every command shares', () => {
  const seen: Record<string, unknown> = {};
  const handle = (a: string, read: OptionReader) => {
    if (a === '--n') return (seen.n = read.whole(1)), true;
    if (a === '--t') return (seen.t = read.duration()), true;
    if (a === '--r') return (seen.r = read.list((x) => read.rate(x))), true;
    if (a === '--flag') return (seen.flag = true), true;
    if (a === '--only') return read.only<'a' | 'b'>('a', 'b'), true;
    return false;
  };

  it('hands options their values and keeps the one positional file', () => {
    expect(scanArgs(['m.json', '--n', '3', '--flag', '--t', '200 ms', '--r', '5/s, 10/s'], handle)).toEqual({ help: false, file: 'm.json' });
    expect(seen).toEqual({ n: 3, flag: true, t: 0.2, r: [5, 10] });
    expect(scanArgs(['--flag'], handle)).toEqual({ help: false, file: null });
    expect(scanArgs(['m.json', '--help', '--bogus'], handle)).toEqual({ help: true });
  });

  it('words the errors the same way for every command', () => {
    expect(() => scanArgs(['--bogus'], handle)).toThrow('unknown option --bogus');
    expect(() => scanArgs(['--n'], handle)).toThrow('--n needs a value');
    expect(() => scanArgs(['--n', '1.5'], handle)).toThrow('--n: expected a whole number ≥ 1, got "1.5"');
    expect(() => scanArgs(['--n', ''], handle)).toThrow('--n: expected a whole number ≥ 1');
    expect(() => scanArgs(['--t', 'soon'], handle)).toThrow(/^--t: /);
    expect(() => scanArgs(['a.json', 'b.json'], handle)).toThrow('one model file at a time (got "a.json" and "b.json")');
    expect(() => scanArgs(['--only'], handle)).toThrow('--only is an option of "analyze b"');
  });
});
