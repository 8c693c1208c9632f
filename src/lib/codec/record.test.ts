import { describe, expect, it } from 'vitest';
import { baseDoc } from '../model/testing.ts';
import { makeEnvelope, SHARE_FORMAT, SHARE_VERSION } from './envelope.ts';
import { decodeRecord, encodeRecord } from './record.ts';
import type { ModelIssue, Result } from '../model/index.ts';

function issues<T>(r: Result<T>): ModelIssue[] {
  if (r.ok) throw new Error('expected the input to be refused');
  expect(r.issues.length).toBeGreaterThan(0);
  return r.issues;
}

describe('encodeRecord / decodeRecord', () => {
  it('stores the envelope as a plain object and reads it back', () => {
    const record = encodeRecord(baseDoc());
    expect(record).toEqual(makeEnvelope(baseDoc()));
    expect(Object.keys(record)).toEqual(['format', 'model', 'version']);
    expect(decodeRecord(structuredClone(record))).toEqual({ ok: true, value: baseDoc() });
  });

  it('shares nothing with the live document', () => {
    const doc = baseDoc();
    const record = encodeRecord(doc);
    doc.nodes[0].label = 'changed later';
    expect(record.model.nodes[0].label).toBeUndefined();
    const back = decodeRecord(record);
    if (!back.ok) throw new Error('expected ok');
    back.value.nodes[0].label = 'changed again';
    expect(record.model.nodes[0].label).toBeUndefined();
  });

  it('gives a clear message, never a throw, for corrupted records', () => {
    const cases: [unknown, ModelIssue][] = [
      [undefined, { path: '', message: 'this saved model does not hold a Systems Sandbox model: expected an object with "format": "systems-sandbox/share", got nothing' }],
      [null, { path: '', message: expect.stringMatching(/got null$/) as unknown as string }],
      ['{"format":"systems-sandbox/share"}', { path: '', message: expect.stringMatching(/got "\{\\"format/) as unknown as string }],
      [[makeEnvelope(baseDoc())], { path: '', message: expect.stringMatching(/got a list$/) as unknown as string }],
      [new Map(), { path: '', message: expect.stringMatching(/got a Map$/) as unknown as string }],
      [{}, { path: 'format', message: 'expected "systems-sandbox/share" (this saved model does not hold a shared Systems Sandbox model), got nothing' }],
      [{ format: SHARE_FORMAT }, { path: 'version', message: 'expected the share version (a whole number such as 1), got nothing' }],
      [{ format: SHARE_FORMAT, version: 1.5, model: baseDoc() }, { path: 'version', message: 'expected the share version (a whole number such as 1), got 1.5' }],
      [
        { format: SHARE_FORMAT, version: 2, model: baseDoc() },
        { path: 'version', message: 'this saved model was written by a newer version (v2) of Systems Sandbox; this app reads up to v1. Reload the page to get the newest version' }
      ],
      [{ format: SHARE_FORMAT, version: SHARE_VERSION }, { path: 'model', message: expect.stringMatching(/got nothing$/) as unknown as string }],
      [{ format: SHARE_FORMAT, version: SHARE_VERSION, model: { ...baseDoc(), nodes: 'gone' } }, { path: 'model.nodes', message: expect.stringMatching(/got "gone"$/) as unknown as string }]
    ];
    for (const [value, expected] of cases) expect(issues(decodeRecord(value))).toEqual([expected]);
  });

  it('survives hostile values: throwing getters, proxies, cycles, non-finite numbers', () => {
    const getter = Object.defineProperty({ format: SHARE_FORMAT, version: 1 }, 'model', {
      enumerable: true,
      get() {
        throw new Error('boom');
      }
    });
    expect(issues(decodeRecord(getter))[0].message).toBe('internal error while reading this saved model (please report it): boom');
    const proxy = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        getPrototypeOf() {
          throw new Error('trap');
        }
      }
    );
    expect(decodeRecord(proxy).ok).toBe(false);
    const cyclic = baseDoc() as unknown as Record<string, unknown>;
    cyclic.self = cyclic;
    expect(issues(decodeRecord({ format: SHARE_FORMAT, version: 1, model: cyclic }))[0].path).toMatch(/^model/);
    const nan = baseDoc();
    nan.nodes[0].x = NaN;
    expect(issues(decodeRecord({ format: SHARE_FORMAT, version: 1, model: nan }))).toEqual([
      { path: 'model.nodes[0].x', message: 'expected a finite number, got NaN' }
    ]);
  });
});
