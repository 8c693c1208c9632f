/** Clients that shed or cancel work are not Poisson sources of the station they feed. */
import { describe, expect, it } from 'vitest';
import { analyze } from './index';
import { chain, client, model, queue, server, sink } from '../../../tests/fixtures/build';

const mm1 = (c: ReturnType<typeof client>) => model([c, queue('q'), server('s'), sink('k')], chain('c', 'q', 's', 'k'));

describe('the matcher and failure handling at the client', () => {
  it('a plain client feeding one exponential server is M/M/1', () => {
    expect(analyze(mm1(client('c'))).nodes.s?.formula).toBe('M/M/1');
  });

  it('no closed form once a circuit breaker can shed load', () => {
    const c = client('c', {
      retry: {
        maxAttempts: 1,
        backoff: { kind: 'none', base: 0, multiplier: 2, cap: Infinity },
        jitter: 'none',
        retryOn: ['timeout'],
        budget: null,
        circuitBreaker: { failureRatio: 0.5, window: 10, openFor: 5, minRequests: 10 }
      }
    });
    expect(analyze(mm1(c)).nodes.s).toBeUndefined();
  });

  it('no closed form once timed-out attempts are cancelled', () => {
    const c = client('c', { timeout: 2, cancelOnTimeout: true });
    expect(analyze(mm1(c)).nodes.s).toBeUndefined();
  });
});
