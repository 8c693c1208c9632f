/**
 * Fuzzing (fast-check): the decoders never throw and always return a Result, whatever they are
 * given: arbitrary strings, arbitrary JSON values, and valid links, files and records with
 * random damage. 12,000 runs in all.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { restore, type ModelDocument, type Result } from '../model/index.ts';
import { baseDoc } from '../model/testing.ts';
import { makeEnvelope, SHARE_FORMAT } from './envelope.ts';
import { decodeFile, encodeFile } from './file.ts';
import { decodeRecord, encodeRecord } from './record.ts';
import { decodeShare, encodeShare, packShareText, readFragment } from './share.ts';
import { ROOT } from './testing.ts';

/** Is `r` a well-formed Result (never an exception, never an issue without words)? */
function assertResult(r: Result<unknown>): void {
  expect(r).toBeTypeOf('object');
  if (r.ok) {
    expect(r.value).toBeDefined();
    return;
  }
  expect(r.ok).toBe(false);
  expect(Array.isArray(r.issues) && r.issues.length > 0).toBe(true);
  for (const issue of r.issues) {
    expect(typeof issue.path).toBe('string');
    expect(typeof issue.message).toBe('string');
    expect(issue.message.length).toBeGreaterThan(10);
  }
}

const mm1 = (() => {
  const r = restore(readFileSync(join(ROOT, 'static/models/mm1.json'), 'utf8'));
  if (!r.ok) throw new Error('mm1.json does not restore');
  return r.value;
})();
const SEEDS: ModelDocument[] = [baseDoc(), mm1];
const LINKS = SEEDS.map((d) => encodeShare(makeEnvelope(d)));

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const mutation = fc.record({
  op: fc.constantFrom('replace', 'delete', 'insert', 'truncate', 'duplicate', 'swap'),
  pos: fc.nat(),
  ch: fc.oneof(fc.constantFrom(...B64.split('')), fc.constantFrom('=', '+', '/', '%', ' ', '#', '&', 'é', '😀', '\u0000'))
});

function mutate(text: string, ops: { op: string; pos: number; ch: string }[]): string {
  let s = text;
  for (const { op, pos, ch } of ops) {
    const i = s.length ? pos % (s.length + 1) : 0;
    if (op === 'replace') s = s.slice(0, i) + ch + s.slice(i + 1);
    else if (op === 'delete') s = s.slice(0, i) + s.slice(i + 1);
    else if (op === 'insert') s = s.slice(0, i) + ch + s.slice(i);
    else if (op === 'truncate') s = s.slice(0, i);
    else if (op === 'duplicate') s = s.slice(0, i) + s.slice(i, i + 8) + s.slice(i);
    else if (op === 'swap' && i + 1 < s.length) s = s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
  }
  return s;
}

/** Every path (as keys) to a value inside a JSON value. */
function paths(x: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(x)) x.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) paths(v, [...prefix, k], out);
  return out;
}

/** A copy of `doc` with the value at one path replaced (or removed, when `value` is undefined). */
function damage(doc: unknown, pick: number, value: unknown): unknown {
  const copy = structuredClone(doc);
  const all = paths(copy).filter((p) => p.length > 0);
  const path = all[pick % all.length];
  let at = copy as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}

const jsonOrNothing = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined));

describe('fuzzing: decoders never throw and always return a Result', () => {
  it('decodeShare: arbitrary strings (2,000 runs)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme-ascii', maxLength: 200 })), (s) => {
        assertResult(decodeShare(s));
      }),
      { numRuns: 2000 }
    );
  });

  it('decodeShare: the tag and arbitrary base64url (1,500 runs)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{0,400}$/), (s) => {
        assertResult(decodeShare('z' + s));
      }),
      { numRuns: 1500 }
    );
  });

  it('decodeShare: links holding arbitrary JSON, and envelopes holding arbitrary models (1,000 runs)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 4 }).map((model) => JSON.stringify({ format: SHARE_FORMAT, version: 1, model }))), (json) => {
        const r = decodeShare(packShareText(json));
        assertResult(r);
      }),
      { numRuns: 1000 }
    );
  });

  it('decodeShare: valid links with random damage are refused, or open exactly the original (2,000 runs)', () => {
    fc.assert(
      fc.property(fc.nat(SEEDS.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, ops) => {
        const r = decodeShare(mutate(LINKS[which], ops));
        assertResult(r);
        if (r.ok) expect(r.value.model).toEqual(SEEDS[which]);
      }),
      { numRuns: 2000 }
    );
  });

  it('readFragment: arbitrary and damaged fragments (1,500 runs)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 100 }),
          fc.string({ maxLength: 100 }).map((s) => `#m=${s}`),
          fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ops) => mutate(`#m=${LINKS[0]}`, ops))
        ),
        (hash) => {
          const r = readFragment(hash);
          if (r !== null) assertResult(r);
          else {
            // null only when no "&"-separated part of the fragment is m=...
            const body = hash.includes('#') ? hash.slice(hash.indexOf('#') + 1) : hash;
            expect(body.split('&').some((p) => p.startsWith('m='))).toBe(false);
          }
        }
      ),
      { numRuns: 1500 }
    );
  });

  it('decodeFile: arbitrary text, arbitrary JSON, and damaged model files (2,000 runs)', () => {
    const files = SEEDS.map(encodeFile);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.json({ maxDepth: 4 }),
          fc.tuple(fc.nat(SEEDS.length - 1), fc.nat(), jsonOrNothing).map(([w, p, v]) => JSON.stringify(damage(SEEDS[w], p, v))),
          fc.tuple(fc.nat(SEEDS.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([w, ops]) => mutate(files[w], ops))
        ),
        fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
        (text, name) => {
          assertResult(decodeFile(text, name));
        }
      ),
      { numRuns: 2000 }
    );
  });

  it('decodeRecord: anything at all, and damaged records (2,000 runs)', () => {
    const records = SEEDS.map(encodeRecord);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything({ maxDepth: 3, withMap: true, withSet: true, withBigInt: true, withDate: true, withTypedArray: true, withNullPrototype: true }),
          fc.jsonValue({ maxDepth: 4 }),
          fc.tuple(fc.nat(SEEDS.length - 1), fc.nat(), jsonOrNothing).map(([w, p, v]) => damage(records[w], p, v))
        ),
        (value) => {
          assertResult(decodeRecord(value));
        }
      ),
      { numRuns: 2000 }
    );
  });
});
