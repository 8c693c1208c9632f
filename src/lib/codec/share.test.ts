import { describe, expect, it } from 'vitest';
import * as zlib from 'node:zlib';
import { deflateSync } from 'fflate';
import { baseDoc } from '../model/testing.ts';
import { canonicalJson } from './canonical.ts';
import { encodeBase64url } from './base64url.ts';
import { crc32 } from './crc32.ts';
import { makeEnvelope, SHARE_FORMAT } from './envelope.ts';
import { decodeShare, encodeShare, MAX_LINK_LENGTH, packShareText, readFragment, shareFragment, SHARE_TAG } from './share.ts';
import type { ModelDocument, ModelIssue, Result } from '../model/index.ts';

const link = encodeShare(makeEnvelope(baseDoc()));

function issues<T>(r: Result<T>): ModelIssue[] {
  if (r.ok) throw new Error('expected the input to be refused');
  expect(r.issues.length).toBeGreaterThan(0);
  return r.issues;
}
const message = <T>(r: Result<T>) => issues(r)[0].message;

/** A link whose compressed payload is exactly `bytes` (+ a valid CRC of `plain`). */
function rawLink(packed: Uint8Array, plain: Uint8Array): string {
  const out = new Uint8Array(packed.length + 4);
  out.set(packed);
  new DataView(out.buffer).setUint32(packed.length, crc32(plain));
  return SHARE_TAG + encodeBase64url(out);
}

describe('encodeShare / decodeShare', () => {
  it('round-trips a model', () => {
    const r = decodeShare(link);
    expect(r).toEqual({ ok: true, value: makeEnvelope(baseDoc()) });
  });

  it('writes the tag and then only base64url characters', () => {
    expect(link.startsWith('z')).toBe(true);
    expect(link.slice(1)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('gives the same code for the same document, whatever the key order', () => {
    const doc = baseDoc();
    const reordered = JSON.parse(JSON.stringify(doc, Object.keys(doc).reverse())) as ModelDocument;
    const shuffled: ModelDocument = { ...reordered, ...doc, nodes: doc.nodes.map((n) => Object.fromEntries(Object.entries(n).reverse())) } as ModelDocument;
    expect(encodeShare(makeEnvelope(shuffled))).toBe(link);
  });

  it('is the documented format: "z" + base64url(raw DEFLATE of canonical JSON ‖ CRC-32 big-endian)', () => {
    const bytes = Buffer.from(link.slice(1), 'base64url');
    const json = canonicalJson(makeEnvelope(baseDoc()));
    const plain = zlib.inflateRawSync(bytes.subarray(0, bytes.length - 4));
    expect(plain.toString('utf8')).toBe(json);
    expect(bytes.readUInt32BE(bytes.length - 4)).toBe(crc32(new TextEncoder().encode(json)));
  });

  it('reads links written by another DEFLATE implementation', () => {
    const json = new TextEncoder().encode(canonicalJson(makeEnvelope(baseDoc())));
    expect(decodeShare(rawLink(zlib.deflateRawSync(json, { level: 1 }), json)).ok).toBe(true);
  });

  it('ignores spaces and line breaks around a pasted link', () => {
    expect(decodeShare(`  ${link}\n`).ok).toBe(true);
  });

  it('writes the envelope constants whatever the caller put there', () => {
    const odd = { format: 'x', version: 9, model: baseDoc() } as unknown as ReturnType<typeof makeEnvelope>;
    expect(decodeShare(encodeShare(odd))).toEqual({ ok: true, value: makeEnvelope(baseDoc()) });
  });
});

describe('decodeShare refuses bad links with a clear message', () => {
  it('empty', () => {
    expect(message(decodeShare(''))).toBe('this link is empty: it holds no model');
    expect(message(decodeShare(' \n'))).toMatch(/empty/);
  });

  it('too long, before looking at it', () => {
    expect(message(decodeShare('z' + 'A'.repeat(MAX_LINK_LENGTH)))).toBe('this link is too long (2,000,001 characters; the limit is 2,000,000)');
  });

  it('a wrong codec tag', () => {
    expect(message(decodeShare('q' + link.slice(1)))).toBe(
      'this link is damaged, or was made by a newer version of Systems Sandbox: it starts with "q", but the links this app reads start with "z"'
    );
  });

  it('a tag and nothing else', () => {
    expect(message(decodeShare('z'))).toMatch(/incomplete: it has nothing after "z"/);
  });

  it('characters outside base64url, with their position', () => {
    const bad = link.slice(0, 10) + '%' + link.slice(11);
    expect(message(decodeShare(bad))).toBe('this link is damaged: character 11 is "%", but a link holds only letters, digits, "-" and "_"');
    expect(message(decodeShare(link.slice(0, 5) + '+/' + link.slice(7)))).toMatch(/character 6 is "\+"/);
  });

  it('a truncated link, cut anywhere', () => {
    for (const cut of [1, 2, 3, 4, 10, Math.floor(link.length / 2), link.length - 2]) {
      const m = message(decodeShare(link.slice(0, link.length - cut)));
      expect(m).toMatch(/^this link is (incomplete|damaged)/);
      expect(m).toMatch(/cut off|changed, added or removed|cannot be unpacked/);
    }
    expect(message(decodeShare(link.slice(0, 5)))).toMatch(/far too short/);
  });

  it('one character changed, at every position', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 1; i < link.length; i++) {
      const c = alphabet[(alphabet.indexOf(link[i]) + 1 + (i % 63)) % 64];
      const m = message(decodeShare(link.slice(0, i) + c + link.slice(i + 1)));
      expect(m).toMatch(/^this link is (damaged|incomplete)/);
    }
    const mid = Math.floor(link.length / 2);
    const flipped = link.slice(0, mid) + (link[mid] === 'A' ? 'B' : 'A') + link.slice(mid + 1);
    expect(message(decodeShare(flipped))).toMatch(/damaged/);
  });

  it('a character added or removed, at every position', () => {
    for (let i = 1; i <= link.length; i++) {
      expect(decodeShare(link.slice(0, i) + 'A' + link.slice(i)).ok).toBe(false);
      if (i < link.length) expect(decodeShare(link.slice(0, i) + link.slice(i + 1)).ok).toBe(false);
    }
  });

  it('foreign base64 of random bytes', () => {
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    for (let n = 0; n < 200; n++) {
      const bytes = new Uint8Array(5 + (n % 97)).map(() => next());
      const m = message(decodeShare(SHARE_TAG + encodeBase64url(bytes)));
      expect(m).toMatch(/^this link is (damaged|incomplete)/);
    }
    expect(message(decodeShare(Buffer.from('hello world').toString('base64url')))).toMatch(/starts with "a"/);
  });

  it('a zip bomb: 50 MB of zeros, refused without inflating it', () => {
    const zeros = new Uint8Array(50_000_000);
    const bomb = rawLink(deflateSync(zeros, { level: 9 }), new Uint8Array(0));
    const before = process.memoryUsage().arrayBuffers;
    const m = message(decodeShare(bomb));
    expect(m).toBe(
      'this link unpacks to more than 4,194,304 bytes (4 MiB), far more than any model needs, so it was not opened; it is damaged or was made to crash the app'
    );
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(40_000_000);
  });

  it('bytes that are not UTF-8 text', () => {
    expect(message(decodeShare(rawLink(deflateSync(new Uint8Array([0x7b, 0xff, 0xfe])), new Uint8Array([0x7b, 0xff, 0xfe]))))).toBe(
      'this link is damaged: its unpacked contents are not text'
    );
  });

  it('text that is not JSON, with where', () => {
    expect(message(decodeShare(packShareText('{"format": "systems-sandbox/share",\n  "version": 1,,}')))).toBe(
      'this link is damaged: its unpacked contents are not valid JSON (unexpected "," where a property name in double quotes should be at line 2, column 16)'
    );
  });

  it('JSON that is not an envelope', () => {
    expect(message(decodeShare(packShareText('[1,2]')))).toBe(
      'this link does not hold a Systems Sandbox model: expected an object with "format": "systems-sandbox/share", got a list'
    );
    expect(issues(decodeShare(packShareText('{"format":"photos/album"}')))).toEqual([
      { path: 'format', message: 'expected "systems-sandbox/share" (this link does not hold a shared Systems Sandbox model), got "photos/album"' }
    ]);
    expect(message(decodeShare(packShareText(JSON.stringify(baseDoc()))))).toMatch(/got "systems-sandbox\/model" \(a bare model document/);
  });

  it('an envelope from a newer version', () => {
    const r = decodeShare(packShareText(JSON.stringify({ format: SHARE_FORMAT, version: 2, model: baseDoc(), view: 'charts' })));
    expect(issues(r)).toEqual([
      {
        path: 'version',
        message: 'this link was made by a newer version (v2) of Systems Sandbox; this app reads up to v1. Reload the page to get the newest version'
      }
    ]);
  });

  it('an envelope version that never existed', () => {
    expect(issues(decodeShare(packShareText(JSON.stringify({ format: SHARE_FORMAT, version: 0, model: baseDoc() })))))
      .toEqual([{ path: 'version', message: 'there is no share version v0; the first version is v1' }]);
    expect(message(decodeShare(packShareText(JSON.stringify({ format: SHARE_FORMAT, version: '1', model: baseDoc() })))))
      .toBe('expected the share version (a whole number such as 1), got "1"');
  });

  it('a model with located errors: restore() issues under model.', () => {
    const doc = baseDoc();
    (doc.nodes[1].params as Record<string, unknown>).capacity = 'ten';
    doc.edges[0].to = 'nowhere.in';
    const r = decodeShare(encodeShare(makeEnvelope(doc)));
    const found = issues(r);
    expect(found.map((i) => i.path)).toContain('model.nodes[1].params.capacity');
    expect(found.find((i) => i.path === 'model.nodes[1].params.capacity')?.message).toMatch(/expected .*got "ten"/);
  });

  it('a missing model, and a model from a newer version', () => {
    expect(issues(decodeShare(packShareText(JSON.stringify({ format: SHARE_FORMAT, version: 1 })))))
      .toEqual([{ path: 'model', message: expect.stringMatching(/expected a model document .*got nothing/) }]);
    const r = decodeShare(encodeShare(makeEnvelope({ ...baseDoc(), version: 7 })));
    expect(issues(r)).toEqual([{ path: 'model.version', message: 'this model was saved by a newer version (v7); this app reads up to v1' }]);
  });

  it('ignores unknown top-level fields of a v1 envelope', () => {
    const r = decodeShare(packShareText(JSON.stringify({ format: SHARE_FORMAT, version: 1, model: baseDoc(), extra: [1] })));
    expect(r).toEqual({ ok: true, value: makeEnvelope(baseDoc()) });
  });
});

describe('URL fragment', () => {
  it('shareFragment writes #m=<code> and readFragment reads it back', () => {
    const hash = shareFragment(makeEnvelope(baseDoc()));
    expect(hash).toBe(`#m=${link}`);
    expect(readFragment(hash)).toEqual({ ok: true, value: makeEnvelope(baseDoc()) });
  });

  it('accepts the hash without "#", a whole URL, and other parts around m=', () => {
    expect(readFragment(`m=${link}`)?.ok).toBe(true);
    expect(readFragment(`https://example.org/sandbox/?x=1#m=${link}`)?.ok).toBe(true);
    expect(readFragment(`#view=2&m=${link}&z=1`)?.ok).toBe(true);
  });

  it('returns null when the fragment holds no model', () => {
    for (const h of ['', '#', '#view=2', '#mm=1', '#M=z', 'https://example.org/#about']) expect(readFragment(h)).toBeNull();
  });

  it('refuses an empty model and an overlong fragment', () => {
    const empty = readFragment('#m=');
    expect(empty && message(empty)).toBe('this link is empty: it has "#m=" but no model after it');
    const long = readFragment('#m=z' + 'A'.repeat(2_100_000));
    expect(long && message(long)).toBe('this link is too long (2,100,004 characters; the limit is 2,000,000)');
  });

  it('passes link errors through', () => {
    const r = readFragment(`#m=${link.slice(0, -5)}`);
    expect(r && message(r)).toMatch(/^this link is (incomplete|damaged)/);
  });
});
