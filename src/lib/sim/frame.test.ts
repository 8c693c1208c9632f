/**
 * Live frames (Replication.frame): besides the counts, each node's p99 so far, its busy-server
 * time and its clients' timeouts, read at frame time. Checked against hand-computed values on
 * deterministic models and against M/M/1 theory.
 */
import { describe, expect, it } from 'vitest';
import { load } from '../model/index.ts';
import type { NormalizedModel } from '../model/types.ts';
import { Replication } from './engine.ts';

function model(doc: Record<string, unknown>): NormalizedModel {
  const r = load({ format: 'systems-sandbox/model', version: 1, name: 'frame test', ...doc });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value.model;
}

const line = (client: Record<string, unknown>, service: unknown, until: string) =>
  model({
    run: { until, warmup: 0, seed: 3, replications: 1 },
    nodes: [
      { id: 'c', kind: 'client', params: client },
      { id: 'q', kind: 'queue' },
      { id: 's', kind: 'server', params: { servers: 1, service } },
      { id: 'k', kind: 'sink' }
    ],
    edges: [
      { id: 'e1', from: 'c.out', to: 'q.in' },
      { id: 'e2', from: 'q.out', to: 's.in' },
      { id: 'e3', from: 's.out', to: 'k.in' }
    ]
  });

function at(f: ReturnType<Replication['frame']>, id: string) {
  const i = f.nodeIds.indexOf(id);
  return { p99: f.p99[i], busy: f.busy[i], timeouts: f.timeouts[i], departures: f.nodes[i * 4 + 2] };
}

describe('Replication.frame', () => {
  it('deterministic line: busy time is 0.25 s per completed service, p99 the service time', () => {
    // One arrival per second, 0.25 s of service each: no queueing.
    const rep = new Replication(line({ interarrival: { dist: 'det', value: 1 } }, { dist: 'det', value: 0.25 }, '100.5 s'), 0);
    const before = at(rep.frame(), 's');
    expect(before.busy).toBe(0);
    expect(before.p99).toBeNaN();
    while (!rep.advance(7));
    const f = rep.frame();
    const s = at(f, 's');
    const k = at(f, 'k');
    // Every service that started has finished by until (arrivals are 1 s apart, ≥ 0.25 s before the end).
    expect(s.busy).toBeCloseTo(0.25 * s.departures, 12);
    expect(s.departures).toBeGreaterThanOrEqual(100);
    // Histogram midpoints are within 1/128 of the exact value.
    expect(Math.abs(s.p99 - 0.25) / 0.25).toBeLessThan(1 / 128);
    expect(Math.abs(k.p99 - 0.25) / 0.25).toBeLessThan(1 / 128);
    expect(at(f, 'q').busy).toBe(0);
    expect(at(f, 'c').timeouts).toBe(0);
  });

  it('busy time counts a service in progress up to now', () => {
    // Service 10 s, arrivals every 100 s: stop inside the first service.
    const rep = new Replication(line({ rate: '0.01/s', interarrival: { dist: 'det', value: 100 } }, { dist: 'det', value: 10 }, '950 s'), 0);
    const present = (f: ReturnType<Replication['frame']>) => f.nodes[f.nodeIds.indexOf('s') * 4];
    let f = rep.frame();
    while (present(f) === 0) {
      rep.advance(1);
      f = rep.frame();
    }
    const started = f.now;
    expect(at(f, 's').busy).toBe(0);
    // The next event (a bucket tick or the service's end) is later and at most 10 s on: the
    // busy integral counts the service up to it.
    rep.advance(1);
    f = rep.frame();
    expect(f.now).toBeGreaterThan(started);
    expect(f.now).toBeLessThanOrEqual(started + 10);
    expect(at(f, 's').busy).toBeCloseTo(f.now - started, 9);
    while (!rep.advance(1));
    // Every service ends before the next arrival: 10 s of busy time per departure, and at most
    // one service (< 10 s of it) in progress at the end.
    const end = at(rep.frame(), 's');
    expect(end.departures).toBeGreaterThanOrEqual(9);
    expect(end.busy).toBeGreaterThanOrEqual(10 * end.departures);
    expect(end.busy).toBeLessThan(10 * end.departures + 10);
  });

  it('clients: every attempt that outlived its timeout is counted when its timer fires', () => {
    // Arrivals every 1 s, timeout 0.5 s, service 2 s: each request times out; at until = T + 0.25
    // the request sent at T has not timed out yet, every earlier one has.
    const rep = new Replication(
      line({ interarrival: { dist: 'det', value: 1 }, timeout: '500 ms' }, { dist: 'det', value: 2 }, '50.25 s'),
      0
    );
    while (!rep.advance(Infinity));
    const f = rep.frame();
    // Sent at 1, 2, …, 50 (a client's arrivals are the requests it sent): all but the last have timed out.
    expect(f.nodes[f.nodeIds.indexOf('c') * 4 + 1]).toBe(50);
    expect(at(f, 'c').timeouts).toBe(49);
    expect(at(f, 's').timeouts).toBe(0);
  });

  it('M/M/1: the live p99 of the end-to-end time and the utilisation match theory', () => {
    const rep = new Replication(line({ rate: '1/s' }, { dist: 'exp', mean: '500 ms' }, '200000 s'), 0);
    while (!rep.advance(100_000));
    const f = rep.frame();
    // Sojourn ~ Exp(μ − λ) = Exp(1): p99 = ln 100.
    expect(Math.abs(at(f, 'k').p99 - Math.log(100)) / Math.log(100)).toBeLessThan(0.05);
    // ρ = λ/μ = 0.5.
    expect(Math.abs(at(f, 's').busy / f.now - 0.5)).toBeLessThan(0.01);
  });
});
