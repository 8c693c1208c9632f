import { describe, expect, it } from 'vitest';
import { describeStorageError } from './errors.ts';

describe('describeStorageError', () => {
  it('says what failed, why, and what to do, for each kind of failure', () => {
    const quota = describeStorageError(new DOMException('x', 'QuotaExceededError'), 'save the model');
    expect(quota).toMatch(/^Could not save the model: the browser's storage for this site is full\. Delete old runs/);
    expect(describeStorageError(new DOMException('x', 'VersionError'), 'open the saved models')).toMatch(/newer version .*Reload/);
    expect(describeStorageError({ name: 'BlockedError' }, 'open the saved models')).toMatch(/older version .*Close or reload the other/);
    expect(describeStorageError(new DOMException('x', 'InvalidStateError'), 'save the model')).toMatch(/storage was closed/);
    expect(describeStorageError(new DOMException('x', 'SecurityError'), 'save the model')).toMatch(/does not allow/);
    expect(describeStorageError({ name: 'UnavailableError' }, 'save the model')).toMatch(/IndexedDB is unavailable/);
  });

  it('sees a quota error behind an aborted transaction', () => {
    const abort = Object.assign(new DOMException('aborted', 'AbortError'), { cause: new DOMException('x', 'QuotaExceededError') });
    expect(describeStorageError(abort, 'save this run in the history')).toMatch(/storage for this site is full/);
  });

  it('names anything else and never throws on odd values', () => {
    expect(describeStorageError(new TypeError('odd'), 'save the model')).toContain('TypeError: odd');
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); }, has: () => { throw new Error('trap'); } });
    expect(describeStorageError(hostile, 'save the model')).toMatch(/^Could not save the model/);
    expect(describeStorageError(undefined, 'save the model')).toMatch(/^Could not save the model/);
  });
});
