/**
 * Version-1 fixtures that must keep decoding FOREVER.
 *
 * WARNING: NEVER REGENERATE OR EDIT tests/fixtures/codec/v1-*. They stand for links, files and
 * records that users already have. If a change makes this test fail, the change is wrong (or
 * needs a migration that still reads these), not the fixture. New formats get new fixtures
 * beside these (v2-…), and these stay.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { canonicalJson } from './canonical.ts';
import { makeEnvelope } from './envelope.ts';
import { decodeFile, encodeFile } from './file.ts';
import { decodeRecord, encodeRecord } from './record.ts';
import { decodeShare, readFragment } from './share.ts';
import { ROOT } from './testing.ts';

const dir = join(ROOT, 'tests/fixtures/codec');
const read = (name: string) => readFileSync(join(dir, name), 'utf8');
const fileText = read('v1-model.json');
const linkText = read('v1-link.txt').trim();
const recordText = read('v1-record.json');

describe('v1 fixtures', () => {
  const file = decodeFile(fileText, 'v1-model.json');
  if (!file.ok) throw new Error(`v1-model.json no longer decodes: ${JSON.stringify(file.issues)}`);
  const doc = file.value;

  it('the file decodes, and encodes back to the same bytes (canonical pretty JSON is stable)', () => {
    expect(doc.name).toBe('Codec fixture v1: café 🚦 キュー');
    expect(doc.nodes).toHaveLength(8);
    expect(doc.nodes[0].color).toBe('#ff8800'); // unknown fields are kept
    expect(encodeFile(doc)).toBe(fileText);
  });

  it('the link decodes, from the fragment and from its code, to the same model', () => {
    expect(linkText.startsWith('#m=z')).toBe(true);
    expect(readFragment(linkText)).toEqual({ ok: true, value: makeEnvelope(doc) });
    expect(decodeShare(linkText.slice(3))).toEqual({ ok: true, value: makeEnvelope(doc) });
  });

  it('the link holds exactly the canonical JSON of the envelope (canonical compact JSON is stable)', () => {
    const bytes = Buffer.from(linkText.slice(4), 'base64url');
    const json = zlib.inflateRawSync(bytes.subarray(0, bytes.length - 4)).toString('utf8');
    expect(json).toBe(canonicalJson(makeEnvelope(doc)));
  });

  it('the stored record decodes, as a record and as a file', () => {
    const record: unknown = JSON.parse(recordText);
    expect(decodeRecord(record)).toEqual({ ok: true, value: doc });
    expect(decodeFile(recordText, 'v1-record.json')).toEqual({ ok: true, value: doc });
    expect(encodeRecord(doc)).toEqual(record);
  });
});
