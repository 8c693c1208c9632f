import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as zlib from 'node:zlib';
import { crc32 } from './crc32.ts';

describe('crc32', () => {
  it('has the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('agrees with Node', () => {
    const nodeCrc = (zlib as unknown as { crc32?: (b: Uint8Array) => number }).crc32;
    if (!nodeCrc) return; // Node < 20.15
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1000 }), (b) => {
        expect(crc32(b)).toBe(nodeCrc(b));
      }),
      { numRuns: 300 }
    );
  });
});
