/**
 * Client timeouts, retries, budget and circuit breaker on tiny deterministic models whose event
 * times are computed by hand (exact to 1e-9), plus invariants on random networks with retries.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ClientParams, NormalizedModel, RetryParams } from '../../model/types';
import { RETRY_DEFAULTS } from '../../model/kinds/client';
import { Replication, runReplication, summarize } from '../index';
import { LogHistogram } from '../histogram';
import { DROP_REASONS } from '../nodeStats';
import type { Behaviour } from './behaviour';
import { chain, client, det, link, model, queue, server, sink } from '../../../../tests/fixtures/build';
import { randomNetwork } from '../../../../tests/fixtures/randomNetwork';

type Result = ReturnType<typeof runReplication>;
const node = (r: Result, id: string) => r.nodes.find((n) => n.id === id)!;
const hist = (h: unknown) => LogHistogram.fromJSON(h as never);
const extra = (r: Result, id: string, name: string) => node(r, id).extras[name].value;
const drops = (r: Result, id: string, reason: (typeof DROP_REASONS)[number]) => node(r, id).drops[DROP_REASONS.indexOf(reason)];

function retry(p: Partial<Omit<RetryParams, 'backoff'>> & { backoff?: Partial<RetryParams['backoff']> }): RetryParams {
  return { ...RETRY_DEFAULTS, ...p, backoff: { ...RETRY_DEFAULTS.backoff, ...(p.backoff ?? {}) } };
}

/** Run a replication, logging (time, attempt number) of every arrival at the named nodes. */
function runLogged(m: NormalizedModel, ids: string[]): { result: Result; log: Record<string, [number, number][]> } {
  const rep = new Replication(m, 0);
  const log: Record<string, [number, number][]> = {};
  for (const id of ids) {
    const b = rep.nodes.find((n) => n.id === id) as Behaviour;
    const arrive = b.arrive.bind(b);
    log[id] = [];
    b.arrive = (r: number, now: number) => {
      log[id].push([now, rep.pool.attempt[r]]);
      arrive(r, now);
    };
  }
  rep.advance(Infinity);
  return { result: rep.finish(), log };
}

const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;
const times = (xs: [number, number][]) => xs.map(([t]) => t);
const expectTimes = (got: number[], want: number[]) => {
  expect(got.length).toBe(want.length);
  got.forEach((t, i) => expect(close(t, want[i]), `event ${i}: ${t} vs ${want[i]}`).toBe(true));
};

/** One request at t = 20 (a deterministic client at 0.05/s, run shorter than the next one). */
const oneRequest = (p: Partial<ClientParams>) => client('c', { process: 'deterministic', rate: 0.05, ...p });

describe('timeouts and retries: exact event times', () => {
  it('a timeout, then a retry after a constant backoff; the abandoned attempt is wasted work', () => {
    // The link is 10 s slower while a latency fault lasts (until t = 22). The attempt sent at 20
    // reaches the server at 30; its timer fires at 25; the retry leaves at 25 + 2 = 27, crosses
    // the (healthy) link at once and is served by 28: the logical request took 8 s. The first
    // attempt is still served (30 → 31): wasted.
    const m = model(
      [
        oneRequest({ timeout: 5, deadline: 10, retry: retry({ maxAttempts: 3, backoff: { kind: 'constant', base: 2 } }) }),
        link('w'),
        server('s', { service: det(1) }),
        sink('k')
      ],
      chain('c', 'w', 's', 'k'),
      { until: 35 },
      [{ at: 0, for: 22, target: 'w', action: 'latency', value: 10 }]
    );
    const { result: r, log } = runLogged(m, ['w', 's', 'k']);
    expect(log.w).toEqual([
      [20, 1],
      [27, 2]
    ]);
    expectTimes(times(log.s), [27, 30]); // the retry first, then the slow first attempt
    expect(log.s.map(([, a]) => a)).toEqual([2, 1]);
    expectTimes(times(log.k), [28, 31]);
    const c = node(r, 'c');
    expect(c.arrivals).toBe(1);
    expect(c.departures).toBe(1);
    expect(close(hist(c.response).sum, 8)).toBe(true); // from the first send
    expect(extra(r, 'c', 'attempts')).toBe(2);
    expect(extra(r, 'c', 'retries')).toBe(1);
    expect(extra(r, 'c', 'timeouts')).toBe(1);
    expect(extra(r, 'c', 'wasted')).toBe(1);
    expect(extra(r, 'c', 'good')).toBe(1); // 8 s ≤ deadline 10 s
    // The sink measures from the logical request's creation: 28 − 20 and 31 − 20.
    expect(close(hist(node(r, 'k').response).sum, 8 + 11)).toBe(true);
  });

  it('the latency fault adds to requests sent while it lasts, and only to those', () => {
    const m = model(
      [client('c', { process: 'deterministic', rate: 1 }), link('w', { latency: det(0.25) }), sink('k')],
      chain('c', 'w', 'k'),
      { until: 20 },
      [{ at: 3.5, for: 2, target: 'w', action: 'latency', value: 4 }]
    );
    const { log } = runLogged(m, ['k']);
    // Sent at 1, 2, ... 19; those sent at 4 and 5 (inside [3.5, 5.5)) take 4.25 s.
    const want = Array.from({ length: 19 }, (_, i) => i + 1 + (i + 1 === 4 || i + 1 === 5 ? 4.25 : 0.25)).sort((a, b) => a - b);
    expectTimes(times(log.k), want.filter((t) => t < 20));
  });

  it('exponential backoff doubles up to the cap', () => {
    // Every attempt is lost at once and the client hears of it (retryOn drop): retries after
    // 1, 2, 4, then 5 (8 capped), 5 (16 capped) seconds.
    const m = model(
      [
        oneRequest({ retry: retry({ maxAttempts: 6, backoff: { kind: 'exponential', base: 1, multiplier: 2, cap: 5 }, retryOn: ['drop'] }) }),
        link('w', { loss: 1 }),
        sink('k')
      ],
      chain('c', 'w', 'k'),
      { until: 39 }
    );
    const { result: r, log } = runLogged(m, ['w']);
    expectTimes(times(log.w), [20, 21, 23, 27, 32, 37]);
    expect(log.w.map(([, a]) => a)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(drops(r, 'c', 'loss')).toBe(1); // the logical request failed with its last attempt's reason
    expect(extra(r, 'c', 'lost')).toBe(6);
    expect(extra(r, 'c', 'retries')).toBe(5);
  });

  it('a silent drop is noticed by the timeout; retries stop at maxAttempts', () => {
    // retryOn timeout only: a lost attempt is silent, so each retry waits out the 3 s timeout
    // plus 1 s of backoff.
    const m = model(
      [oneRequest({ timeout: 3, retry: retry({ maxAttempts: 3, backoff: { kind: 'constant', base: 1 }, retryOn: ['timeout'] }) }), link('w', { loss: 1 }), sink('k')],
      chain('c', 'w', 'k'),
      { until: 39 }
    );
    const { result: r, log } = runLogged(m, ['w']);
    expectTimes(times(log.w), [20, 24, 28]);
    expect(extra(r, 'c', 'timeouts')).toBe(3);
    expect(drops(r, 'c', 'timeout')).toBe(1); // ended at 31
    expect(node(r, 'c').present).toBe(0);
  });

  it('a rejection is told at once and retried when retryOn has "reject"; not otherwise', () => {
    // A queue with no room in front of a busy server: requests at 20 and 40 (service 30 s):
    // the second finds the server busy and the queue full, is rejected at once, and retried
    // every 4 s until the server frees at 50.
    const base = (retryOn: RetryParams['retryOn']) =>
      model(
        [
          oneRequest({ retry: retry({ maxAttempts: 5, backoff: { kind: 'constant', base: 4 }, retryOn }) }),
          queue('q', { capacity: 0, onFull: 'reject' }),
          server('s', { service: det(30) }),
          sink('k')
        ],
        chain('c', 'q', 's', 'k'),
        { until: 59 }
      );
    const { result: a, log } = runLogged(base(['reject']), ['q']);
    expectTimes(times(log.q), [20, 40, 44, 48, 52]);
    expect(extra(a, 'c', 'rejections')).toBe(3);
    expect(node(a, 'c').departures).toBe(1); // the first, at 50; the second is in service at 52
    const { result: b, log: lb } = runLogged(base(['drop']), ['q']);
    expectTimes(times(lb.q), [20, 40]);
    expect(drops(b, 'c', 'rejected')).toBe(1);
  });

  it('cancelOnTimeout: servers discard cancelled attempts before starting them', () => {
    // Requests every second from t = 1, timeout 2.5 s, one server of 3 s behind a queue.
    // 1 is served 1 → 4 (times out at 3.5 while in service: it runs to its end, wasted).
    // 2 starts at 4 (its timer fires at 4.5, in service: wasted at 7). 3 and 4 wait and are
    // cancelled at 5.5 and 6.5; at 7 the server pulls 3 and 4, discards both, and starts 5.
    const mk = (cancel: boolean) =>
      model(
        [client('c', { process: 'deterministic', rate: 1, timeout: 2.5, cancelOnTimeout: cancel }), queue('q'), server('s', { service: det(3) }), sink('k')],
        chain('c', 'q', 's', 'k'),
        { until: 9.9 }
      );
    const { result: cancelled, log } = runLogged(mk(true), ['s']);
    expectTimes(times(log.s), [1, 4, 7, 7, 7]);
    expect(drops(cancelled, 's', 'cancelled')).toBe(2);
    expect(extra(cancelled, 'c', 'wasted')).toBe(2);
    expect(extra(cancelled, 'c', 'timeouts')).toBe(7); // requests 1..7 (timers up to 9.5)
    // Without cancellation the abandoned requests are served in turn: 3 starts at 7.
    const { result: kept, log: lk } = runLogged(mk(false), ['s']);
    expectTimes(times(lk.s), [1, 4, 7]);
    expect(drops(kept, 's', 'cancelled')).toBe(0);
    expect(extra(kept, 'c', 'wasted')).toBe(2);
  });
});

describe('circuit breaker and budget: exact', () => {
  it('opens after enough failures, refuses while open, probes, and closes on a good probe', () => {
    // Requests every second from t = 1. Until t = 10.5 the link is 100 s slow, so attempts time
    // out (0.5 s). Outcomes at 1.5, 2.5, 3.5, 4.5: four failures ≥ minRequests → open until 7.5.
    // 5, 6, 7 refused; 8 probes (still slow) → fails at 8.5 → open until 11.5; 9, 10, 11
    // refused; 12 probes on a healthy link → succeeds at 12.1 → closed; 13, 14, 15 succeed.
    const m = model(
      [
        client('c', {
          process: 'deterministic',
          rate: 1,
          timeout: 0.5,
          retry: retry({ maxAttempts: 1, circuitBreaker: { failureRatio: 0.5, window: 10, openFor: 3, minRequests: 4 } })
        }),
        link('w'),
        server('s', { servers: Infinity, service: det(0.1) }),
        sink('k')
      ],
      chain('c', 'w', 's', 'k'),
      { until: 15.5 },
      [{ at: 0, for: 10.5, target: 'w', action: 'latency', value: 100 }]
    );
    const { result: r, log } = runLogged(m, ['w']);
    expectTimes(times(log.w), [1, 2, 3, 4, 8, 12, 13, 14, 15]);
    expect(extra(r, 'c', 'shortCircuited')).toBe(6);
    expect(extra(r, 'c', 'breakerOpens')).toBe(2);
    expect(drops(r, 'c', 'breaker')).toBe(6);
    expect(drops(r, 'c', 'timeout')).toBe(5);
    expect(node(r, 'c').departures).toBe(4);
  });

  it('the window holds outcomes in (now − window, now]: one exactly `window` old is out', () => {
    // One failure per second (every attempt lost, the client told at once), minRequests 3:
    // with a 2 s window the failure at t sees only t − 1 and t (t − 2 is exactly 2 s old), so
    // it never opens; with 2.5 s it sees three and opens at t = 3.
    const mk = (window: number) =>
      model(
        [
          client('c', {
            process: 'deterministic',
            rate: 1,
            retry: retry({ maxAttempts: 1, retryOn: ['drop'], circuitBreaker: { failureRatio: 0.5, window, openFor: 3, minRequests: 3 } })
          }),
          link('w', { loss: 1 }),
          sink('k')
        ],
        chain('c', 'w', 'k'),
        { until: 20.5 }
      );
    const r2 = runReplication(mk(2), 0);
    expect(extra(r2, 'c', 'breakerOpens')).toBe(0);
    expect(extra(r2, 'c', 'attempts')).toBe(20);
    const { result: r25, log } = runLogged(mk(2.5), ['w']);
    // Opens at 3 until 6; 4, 5 refused; 6 probes and fails: open until 9; 9 probes...
    expectTimes(times(log.w).slice(0, 5), [1, 2, 3, 6, 9]);
    expect(extra(r25, 'c', 'shortCircuited')).toBe(20 - times(log.w).length);
  });

  it('a retry budget under total failure: each request earns ratio tokens, a retry spends one', () => {
    // ratio 0.5, no time-based tokens: every second request affords one retry, so 10 requests
    // make exactly 15 attempts.
    const m = model(
      [
        client('c', {
          process: 'deterministic',
          rate: 1,
          retry: retry({ maxAttempts: 10, retryOn: ['drop'], budget: { ratio: 0.5, minPerSecond: 0 } })
        }),
        link('w', { loss: 1 }),
        sink('k')
      ],
      chain('c', 'w', 'k'),
      { until: 10.5 }
    );
    const { result: r, log } = runLogged(m, ['w']);
    expect(extra(r, 'c', 'attempts')).toBe(15);
    expect(extra(r, 'c', 'retries')).toBe(5);
    expect(extra(r, 'c', 'budgetDenied')).toBe(10);
    // The retries go out at the even seconds, right after the request that paid for them.
    expect(log.w.filter(([, a]) => a === 2).map(([t]) => t)).toEqual([2, 4, 6, 8, 10]);
  });

  it('time-earned tokens: minPerSecond 1 allows one retry per second', () => {
    const m = model(
      [
        client('c', {
          process: 'deterministic',
          rate: 1,
          retry: retry({ maxAttempts: 100, retryOn: ['drop'], backoff: { kind: 'constant', base: 0.25 }, budget: { ratio: 0, minPerSecond: 1 } })
        }),
        link('w', { loss: 1 }),
        sink('k')
      ],
      chain('c', 'w', 'k'),
      { until: 100.5 }
    );
    const r = runReplication(m, 0);
    // Tokens accrue 1/s from t = 0; a request at t = k (k ≥ 1) finds one token and retries once
    // (its second retry, 0.25 s later, finds 0.25 tokens and is refused).
    expect(extra(r, 'c', 'retries')).toBe(100);
    expect(extra(r, 'c', 'budgetDenied')).toBe(100);
  });
});

describe('without timeouts and retries nothing changes', () => {
  it('a retry policy with one attempt and no timeout gives the very same numbers as none', () => {
    const base = model([client('c', { rate: 2 }), queue('q', { capacity: 3 }), server('s', { service: det(0.4) }), sink('k')], chain('c', 'q', 's', 'k'), {
      until: 500
    });
    const withPolicy = { ...base, nodes: base.nodes.map((n) => (n.kind === 'client' ? client('c', { ...n.params, retry: retry({ maxAttempts: 1 }) }) : n)) };
    const a = runReplication(base, 0);
    const b = runReplication(withPolicy, 0);
    expect(node(a, 'q').drops[0]).toBeGreaterThan(0); // the case is not vacuous
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});

describe('invariants with retries on random networks (property tests)', () => {
  const withRetries = (m: NormalizedModel, seed: number): NormalizedModel => ({
    ...m,
    nodes: m.nodes.map((n, i) =>
      n.kind === 'client'
        ? client(n.id, {
            ...n.params,
            timeout: [0.5, 2, null][(seed + i) % 3],
            cancelOnTimeout: (seed + i) % 2 === 0,
            retry: retry({
              maxAttempts: 1 + ((seed + i) % 4),
              retryOn: (['timeout', 'reject', 'drop'] as const).filter((_, k) => (seed >> k) % 2 === 0),
              backoff: { kind: (['none', 'constant', 'exponential'] as const)[seed % 3], base: 0.2, cap: 3 },
              jitter: (['none', 'full', 'equal', 'decorrelated'] as const)[(seed >> 2) % 4],
              budget: seed % 5 === 0 ? { ratio: 0.2, minPerSecond: 1 } : null,
              circuitBreaker: seed % 7 === 0 ? { failureRatio: 0.5, window: 5, openFor: 2, minRequests: 5 } : null
            })
          })
        : n
    )
  });

  it('conservation per node (clients count logical requests, other nodes attempts)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 8, max: 30 }), (seed, size) => {
        const m = withRetries(randomNetwork({ seed, nodes: size, until: 200, feedback: true }), seed);
        const r = runReplication(m, 0);
        for (const n of r.nodes) {
          const d = n.drops.reduce((a, b) => a + b, 0);
          // Clients count logical requests, other nodes attempts: both are conserved.
          expect(n.arrivals).toBe(n.departures + d + n.present);
        }
      }),
      { numRuns: 40 }
    );
  });

  it('slicing never changes the numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 3000 }), (seed, slice) => {
        const m = withRetries(randomNetwork({ seed, nodes: 16, until: 150, feedback: true }), seed);
        expect(JSON.stringify(runReplication(m, 0, slice))).toBe(JSON.stringify(runReplication(m, 0)));
      }),
      { numRuns: 20 }
    );
  });

  it('summaries carry a clients block', () => {
    const m = withRetries(randomNetwork({ seed: 7, nodes: 12, until: 100, feedback: false }), 7);
    const s = summarize(m, [runReplication(m, 0), runReplication(m, 1)]);
    const ids = m.nodes.filter((n) => n.kind === 'client').map((n) => n.id);
    expect(Object.keys(s.clients!)).toEqual(ids);
    for (const id of ids) {
      const c = s.clients![id];
      expect(c.amplification.mean).toBeGreaterThanOrEqual(1);
      expect(c.series.offered.length).toBe(s.series.nodes[id].inSystem.length);
    }
  });
});
