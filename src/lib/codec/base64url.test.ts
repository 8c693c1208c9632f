import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeBase64url, encodeBase64url } from './base64url.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('base64url', () => {
  it('matches the RFC 4648 test vectors (without padding)', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy']
    ];
    for (const [plain, coded] of vectors) {
      expect(encodeBase64url(bytes(plain))).toBe(coded);
      const d = decodeBase64url(coded);
      expect(d.ok && new TextDecoder().decode(d.bytes)).toBe(plain);
    }
  });

  it('uses "-" and "_" and agrees with Node in both directions', () => {
    expect(encodeBase64url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        const coded = encodeBase64url(b);
        expect(coded).toBe(Buffer.from(b).toString('base64url'));
        const d = decodeBase64url(coded);
        expect(d.ok && Array.from(d.bytes)).toEqual(Array.from(b));
      }),
      { numRuns: 500 }
    );
  });

  it('encodes long inputs (more than one internal chunk)', () => {
    const b = new Uint8Array(100_000).map((_, i) => (i * 31) & 255);
    expect(encodeBase64url(b)).toBe(Buffer.from(b).toString('base64url'));
  });

  it('refuses characters outside the alphabet, naming the first', () => {
    expect(decodeBase64url('Zm9v+g')).toEqual({ ok: false, error: { kind: 'character', index: 4, char: '+' } });
    expect(decodeBase64url('Zm9vYg==')).toMatchObject({ ok: false, error: { kind: 'character', index: 6, char: '=' } });
    expect(decodeBase64url('Zm 9v')).toMatchObject({ ok: false, error: { kind: 'character', index: 2 } });
    expect(decodeBase64url('ab😀')).toMatchObject({ ok: false, error: { kind: 'character', index: 2, char: '😀' } });
  });

  it('refuses a length that leaves one character over', () => {
    expect(decodeBase64url('Zm9vY')).toEqual({ ok: false, error: { kind: 'length' } });
  });

  it('refuses a last character with bits no encoder writes, so each byte string has one spelling', () => {
    expect(decodeBase64url('Zh')).toMatchObject({ ok: false, error: { kind: 'trailing-bits', index: 1, char: 'h' } });
    expect(decodeBase64url('Zm9')).toMatchObject({ ok: false, error: { kind: 'trailing-bits', index: 2 } });
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/), (s) => {
        const d = decodeBase64url(s);
        if (d.ok) expect(encodeBase64url(d.bytes)).toBe(s);
      }),
      { numRuns: 500 }
    );
  });
});
