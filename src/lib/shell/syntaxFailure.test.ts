import { afterEach, describe, expect, it, vi } from 'vitest';

// The parser module is replaced: its processor fails the way a broken wasm runtime does (a
// plain exception, no parse-error text, no position).
vi.mock('sh-syntax', () => ({
  getProcessor: () => async () => {
    throw new TypeError('this._inst.exports._initialize is not a function');
  }
}));

const { checkSyntax, setShellParserWasm } = await import('./syntax');

describe('checkSyntax when the parser itself fails', () => {
  afterEach(() => setShellParserWasm(null));

  it('rejects (an analysis failure), never reports a "syntax error" at line 1', async () => {
    setShellParserWasm(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    await expect(checkSyntax('echo hello\n')).rejects.toThrow('_initialize is not a function');
  });
});
