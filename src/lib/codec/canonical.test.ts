import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson } from './canonical.ts';

/** A deep copy with keys sorted, for comparing with JSON.stringify. */
function sorted(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sorted);
  if (x && typeof x === 'object') {
    // fromEntries defines own properties, so a "__proto__" key stays a key (assignment would
    // set the prototype instead).
    return Object.fromEntries(Object.keys(x).sort().map((k) => [k, sorted((x as Record<string, unknown>)[k])]));
  }
  return x;
}

/** The same value with every object's keys inserted in reverse order. */
function reversed(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(reversed);
  if (x && typeof x === 'object') {
    return Object.fromEntries(Object.keys(x).reverse().map((k) => [k, reversed((x as Record<string, unknown>)[k])]));
  }
  return x;
}

describe('canonicalJson', () => {
  it('sorts keys recursively and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x y' } })).toBe(
      '{"a":{"c":"x y","d":[3,{"y":null,"z":true}]},"b":1}'
    );
  });

  it('sorts by UTF-16 code units, like RFC 8785', () => {
    expect(canonicalJson({ b: 0, B: 0, é: 0, '€': 0, '😀': 0, _: 0, '1': 0, $schema: 0 })).toBe(
      '{"$schema":0,"1":0,"B":0,"_":0,"b":0,"é":0,"€":0,"😀":0}'
    );
  });

  it('writes numbers as JSON numbers (shortest round-trip form, -0 as 0)', () => {
    expect(canonicalJson([1, 1.5, -0, 1e21, 1e-7, 0.1 + 0.2, 2 ** 53 - 1])).toBe(
      '[1,1.5,0,1e+21,1e-7,0.30000000000000004,9007199254740991]'
    );
  });

  it('escapes strings as JSON.stringify does, including lone surrogates', () => {
    expect(canonicalJson('a"b\\c\n\u0001')).toBe('"a\\"b\\\\c\\n\\u0001"');
    expect(canonicalJson('\ud800')).toBe('"\\ud800"');
  });

  it('leaves out keys whose value is undefined (absent optional fields)', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('writes empty containers and objects without a prototype', () => {
    expect(canonicalJson({ a: [], b: {}, c: Object.assign(Object.create(null) as object, { x: 1 }) })).toBe('{"a":[],"b":{},"c":{"x":1}}');
  });

  it('pretty form equals JSON.stringify of the sorted value with the same indent', () => {
    const v = { z: [1, { b: 2, a: [] }], a: {}, m: 'x' };
    expect(canonicalJson(v, { indent: 2 })).toBe(JSON.stringify(sorted(v), null, 2));
  });

  it('refuses values that are not plain JSON data, naming where (a bug in the caller)', () => {
    expect(() => canonicalJson({ a: [1, NaN] })).toThrow(/NaN at a\[1\]/);
    expect(() => canonicalJson({ a: Infinity })).toThrow(TypeError);
    expect(() => canonicalJson([1, undefined])).toThrow(/undefined at \[1\]/);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(/Date at d/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function at f/);
    expect(() => canonicalJson(10n)).toThrow(/bigint/);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { back: cyclic };
    expect(() => canonicalJson(cyclic)).toThrow(/contains itself/);
    let deep: unknown = 0;
    for (let i = 0; i < 2000; i++) deep = [deep];
    expect(() => canonicalJson(deep)).toThrow(/nested deeper/);
  });

  it('allows the same object twice when it is not its own ancestor', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  it('sorts integer-like keys as strings too (JS objects would put them first)', () => {
    expect(canonicalJson({ b: 0, 10: 0, 2: 0, '': 0 })).toBe('{"":0,"10":0,"2":0,"b":0}');
  });

  it('keeps a "__proto__" key as a key', () => {
    const v = JSON.parse('{"b":1,"__proto__":{"x":2}}');
    expect(canonicalJson(v)).toBe('{"__proto__":{"x":2},"b":1}');
    expect(canonicalJson(reversed(v))).toBe(canonicalJson(v));
  });

  it('property: parses back to the same value, and does not depend on key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        // Equal to the value after a JSON round trip (which only turns -0 into 0).
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
        expect(text).toBe(canonicalJson(reversed(v)));
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(JSON.parse(canonicalJson(v, { indent: 2 }))).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 }
    );
  });
});
