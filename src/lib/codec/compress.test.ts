import { describe, expect, it } from 'vitest';
import * as zlib from 'node:zlib';
import { deflateSync } from 'fflate';
import { deflateRaw, inflateRawCapped, INFLATE_CHUNK, MAX_INFLATE_PER_PUSH, MAX_INFLATED_BYTES } from './compress.ts';

const text = (n: number) => new TextEncoder().encode('{"nodes":[' + Array.from({ length: n }, (_, i) => `{"id":"n${i}"}`).join(',') + ']}');

describe('raw DEFLATE', () => {
  it('round-trips, in one push and across many', () => {
    for (const n of [0, 1, 10, 5000]) {
      const plain = text(n);
      const r = inflateRawCapped(deflateRaw(plain));
      expect(r.ok && Array.from(r.bytes)).toEqual(Array.from(plain));
    }
  });

  it('writes standard raw DEFLATE that another implementation reads, and reads its output', () => {
    const plain = text(3000);
    expect(Array.from(zlib.inflateRawSync(deflateRaw(plain)))).toEqual(Array.from(plain));
    const r = inflateRawCapped(zlib.deflateRawSync(plain, { level: 1 }));
    expect(r.ok && Array.from(r.bytes)).toEqual(Array.from(plain));
  });

  it('reads stored (uncompressed) blocks longer than one push', () => {
    const plain = new Uint8Array(200_000).map((_, i) => (i * 7919) & 255);
    const r = inflateRawCapped(zlib.deflateRawSync(plain, { level: 0 }));
    expect(r.ok && r.bytes.length).toBe(plain.length);
  });

  it('is deterministic', () => {
    const plain = text(500);
    expect(Array.from(deflateRaw(plain))).toEqual(Array.from(deflateRaw(plain)));
  });

  it('reports data cut short as truncated, and garbage as corrupt; never throws', () => {
    const packed = deflateRaw(text(2000));
    expect(inflateRawCapped(packed.subarray(0, packed.length - 10))).toMatchObject({ ok: false, error: { kind: 'truncated' } });
    expect(inflateRawCapped(new Uint8Array([0xff, 0xff, 0xff, 0xff]))).toMatchObject({ ok: false, error: { kind: 'corrupt' } });
  });

  it('stops a zip bomb at the limit: 50 MB of zeros never gets inflated past one push beyond 4 MiB', () => {
    const bomb = deflateSync(new Uint8Array(50_000_000), { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    const r = inflateRawCapped(bomb);
    expect(r.ok).toBe(false);
    if (r.ok || r.error.kind !== 'too-large') throw new Error('expected too-large');
    expect(r.error.produced).toBeGreaterThan(MAX_INFLATED_BYTES);
    expect(r.error.produced).toBeLessThanOrEqual(MAX_INFLATED_BYTES + MAX_INFLATE_PER_PUSH);
    // It stopped reading early, too: only the first few kilobytes of the bomb were looked at.
    expect(r.error.read).toBeLessThan(bomb.length);
    console.log(
      `zip bomb: ${bomb.length.toLocaleString('en-US')} bytes packed; stopped after reading ${r.error.read.toLocaleString('en-US')} bytes ` +
        `with ${r.error.produced.toLocaleString('en-US')} bytes inflated (limit ${MAX_INFLATED_BYTES.toLocaleString('en-US')}, chunk ${INFLATE_CHUNK})`
    );
  });

  it('accepts output of exactly the limit and refuses one byte more', () => {
    const limit = 10_000;
    const exact = inflateRawCapped(deflateRaw(new Uint8Array(limit)), limit);
    expect(exact.ok && exact.bytes.length).toBe(limit);
    expect(inflateRawCapped(deflateRaw(new Uint8Array(limit + 1)), limit)).toMatchObject({ ok: false, error: { kind: 'too-large' } });
  });
});
