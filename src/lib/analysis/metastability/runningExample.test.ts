/**
 * PAPERS.md §6's running example: λ = 5/s, μ = 10/s, one thread, τ = 5 s, 5 retries, a trigger of
 * 15/s for 10 minutes. Queue bound 150 (N = 151 with the one in service) sticks; bound 35
 * (N = 36) recovers within a minute.
 *
 * The numbers asserted follow from the formulas by hand (μ_r = 5/30 = 1/6, μ_d = 1/30):
 * - saddle: dq/dt = 0 ⇒ o = (μ − λ)/μ_r = 30; do/dt = 0 ⇒ 5T = (1/6)(1 − T)·30 + 30/30 ⇒ T = 0.6;
 *   T(q) = P(Erlang(q+1, 10) > 5) = 0.6 at q ≈ 51.1.
 * - stuck (on the wall q = N): o* = (λ − μ(1 − T(N)))/μ_d = 5·30 = 150 since T(151) = 1 to 1e-30;
 *   it holds because λ + μ_r·150 = 30/s > μ = 10/s.
 * - bound 35: T(36) ≈ 0.02, so o* = (5 − 10·0.98)·30 < 0: no stuck equilibrium, and the saddle
 *   (q ≈ 51) lies beyond the wall.
 */
import { describe, expect, it } from 'vitest';
import { load } from '../../model/restore';
import { analyzeMetastability, type MetastabilityReport } from './analyze';
import { classifyTrigger, equilibria, fluidModel, timeoutAt } from './drift';
import { metastabilityParamsFromModel, type MetastabilityParams } from './params';

const example = (capacity: number): MetastabilityParams => ({
  arrivalRate: 5,
  serviceRate: 10,
  servers: 1,
  capacity,
  timeout: 5,
  retries: 5
});
const trigger = { rate: 15, duration: 600 };

function ok(r: ReturnType<typeof analyzeMetastability>): MetastabilityReport {
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r;
}

describe('running example, queue bound 150: a stuck equilibrium with a full queue', () => {
  const r = ok(analyzeMetastability(example(150), { trigger }));

  it('three equilibria: drained (q ≈ 0.5, o ≈ 0), a saddle at o = 30 where T(q) = 0.6, stuck at (151, 150)', () => {
    expect(r.equilibria.map((e) => e.kind)).toEqual(['drained', 'saddle', 'stuck']);
    const [drained, saddle, stuck] = r.equilibria;
    // Drained: dq/dt = 5 − 10q + o/6 = 0 with o ≈ 0.
    expect(drained.q).toBeCloseTo(0.5, 6);
    expect(drained.o).toBeLessThan(1e-9);
    expect(drained.goodput).toBeCloseTo(5, 6);
    expect(saddle.o).toBeCloseTo(30, 9);
    expect(timeoutAt(fluidModel(example(150)), saddle.q)).toBeCloseTo(0.6, 9);
    expect(saddle.q).toBeGreaterThan(50);
    expect(saddle.q).toBeLessThan(52);
    expect(saddle.eigenvalues[0]).toBeLessThan(0);
    expect(saddle.eigenvalues[1]).toBeGreaterThan(0);
    expect(stuck).toMatchObject({ q: 151, onWall: true, stable: true });
    expect(stuck.o).toBeCloseTo(150, 9);
    expect(stuck.goodput).toBeLessThan(1e-20);
    expect(r.stuckExists).toBe(true);
  });

  it('the basin boundary runs through the saddle, and the grid has both basins', () => {
    expect(r.separatrices).toHaveLength(1);
    expect(r.separatrices[0].branches).toHaveLength(2);
    const labels = new Set(r.field.basin);
    expect(labels).toEqual(new Set([0, 2]));
    // A full queue with a large orbit is in the stuck basin; an empty system in the drained one.
    const nq = r.field.queue.length;
    expect(r.field.basin![0]).toBe(0);
    expect(r.field.basin![r.field.basin!.length - 1]).toBe(2);
    expect(r.field.dq).toHaveLength(nq * r.field.orbit.length);
  });

  it('the 10-minute trigger at 15/s is "metastable": the fluid ends in the stuck basin and stays', () => {
    expect(r.trigger?.class).toBe('metastable');
    expect(r.trigger!.endOfTrigger.q).toBeCloseTo(151, 6);
    expect(r.equilibria[r.trigger!.settlesAt].kind).toBe('stuck');
  });

  it('the CTMC: recovery from (151, 150) takes ~10^33 s (never), and the stationary law is the stuck state', () => {
    const c = r.chain!;
    expect(c.recovery.start).toEqual({ q: 151, o: 150 });
    expect(c.recovery.expectedTime).toBeGreaterThan(1e30);
    expect(c.recovery.expectedTime).toBeLessThan(1e36);
    expect(c.recovery.boundaryTimeFraction).toBeLessThan(1e-12);
    // Escaping the drained state takes ~10^16 s, escaping the stuck one ~10^33 s: in the long run
    // the chain is stuck. Mean queue ≈ 150.5 and mean orbit = 150 = λ(R+1)τ (Little).
    expect(c.stationary.meanQueue).toBeGreaterThan(149);
    expect(c.stationary.meanOrbit).toBeCloseTo(150, 6);
    expect(c.stationary.goodput).toBeLessThan(1e-10);
    expect(c.stationary.throughput).toBeCloseTo(10, 9);
    expect(c.stationary.residual).toBeLessThan(1e-10);
    expect(c.stationary.boundaryMass).toBeLessThan(1e-12);
  });
});

describe('running example, queue bound 35: no stuck equilibrium, recovery within a minute', () => {
  const r = ok(analyzeMetastability(example(35), { trigger }));

  it('only the drained equilibrium exists (T(36) ≈ 0.02 cannot sustain an orbit)', () => {
    expect(r.equilibria.map((e) => e.kind)).toEqual(['drained']);
    expect(r.stuckExists).toBe(false);
    expect(r.timeouts[36]).toBeLessThan(0.03);
    expect(r.separatrices).toHaveLength(0);
    expect(new Set(r.field.basin)).toEqual(new Set([0]));
  });

  it('the same trigger is "stable": the fluid drains within about 40 s of its end', () => {
    expect(r.trigger?.class).toBe('stable');
    expect(r.trigger!.endOfTrigger.q).toBeCloseTo(36, 6);
    expect(r.trigger!.settleTime).toBeLessThan(120);
  });

  it('the CTMC: expected recovery from the end of the trigger is half a minute, mixing under a minute', () => {
    const c = r.chain!;
    expect(c.recovery.startReason).toBe('end of trigger');
    expect(c.recovery.start.q).toBe(36);
    expect(c.recovery.expectedTime).toBeGreaterThan(10);
    expect(c.recovery.expectedTime).toBeLessThan(60);
    expect(c.mixing!.time).not.toBeNull();
    expect(c.mixing!.time!).toBeLessThan(60);
    expect(c.stationary.meanQueue).toBeCloseTo(1, 6); // M/M/1 at ρ = 0.5, nothing ever times out
  });
});

describe('the Chebyshev bound gives the same picture, a little more pessimistic', () => {
  it('bound 150: the saddle moves to a shorter queue (T(q) ≥ exact), stuck stays at (151, 150)', () => {
    const exact = equilibria(fluidModel(example(150), 'erlang'));
    const cheb = equilibria(fluidModel(example(150), 'chebyshev'));
    expect(cheb.map((e) => e.kind)).toEqual(['drained', 'saddle', 'stuck']);
    expect(cheb[1].q).toBeLessThan(exact[1].q);
    expect(cheb[2].o).toBeCloseTo(150, 9);
  });

  it('bound 35: still no stuck equilibrium; a small trigger is "vulnerable" at bound 150', () => {
    expect(equilibria(fluidModel(example(35), 'chebyshev')).map((e) => e.kind)).toEqual(['drained']);
    const f = fluidModel(example(150));
    const eq = equilibria(f);
    expect(classifyTrigger(f, eq, { rate: 8, duration: 10 }).class).toBe('vulnerable');
    expect(classifyTrigger(f, eq, { rate: 15, duration: 600 }).class).toBe('metastable');
  });
});

describe('parameters from a model (metastabilityParamsFromModel)', () => {
  const doc = (over: { client?: object; queue?: object; server?: object } = {}) =>
    JSON.stringify({
      format: 'systems-sandbox/model',
      version: 1,
      name: 'Retry storm',
      nodes: [
        { id: 'clients', kind: 'client', params: { rate: '5/s', timeout: '5 s', retry: { maxAttempts: 6 }, ...over.client } },
        { id: 'q', kind: 'queue', params: { capacity: 150, ...over.queue } },
        { id: 'srv', kind: 'server', params: { servers: 1, service: { dist: 'exp', mean: '100 ms' }, ...over.server } },
        { id: 'done', kind: 'sink' }
      ],
      edges: [
        { id: 'e1', from: 'clients.out', to: 'q.in' },
        { id: 'e2', from: 'q.out', to: 'srv.in' },
        { id: 'e3', from: 'srv.out', to: 'done.in' }
      ],
      faults: [{ at: '300 s', for: '600 s', target: 'clients', action: 'rate', value: '15/s' }]
    });
  const extract = (text: string) => {
    const l = load(text);
    if (!l.ok) throw new Error(JSON.stringify(l.issues));
    return metastabilityParamsFromModel(l.value.model);
  };

  it('reads MODEL.md\'s example: λ 5/s, τ 5 s, R = 5, capacity 150, c = 1, μ = 10/s, trigger 15/s for 600 s', () => {
    const x = extract(doc());
    expect(x).toMatchObject({
      ok: true,
      params: { arrivalRate: 5, timeout: 5, retries: 5, capacity: 150, servers: 1 },
      trigger: { rate: 15, duration: 600 },
      nodes: { client: 'clients', queue: 'q', server: 'srv' }
    });
    if (x.ok) expect(x.params.serviceRate).toBeCloseTo(10, 12);
  });

  it('R = maxAttempts − 1 with the model layer\'s defaults: retry {} → R = 2, no retry → R = 0', () => {
    const a = extract(doc({ client: { retry: {} } }));
    const b = extract(doc({ client: { retry: null } }));
    expect(a.ok && a.params.retries).toBe(2);
    expect(b.ok && b.params.retries).toBe(0);
  });

  it.each([
    [{ server: { service: { dist: 'det', value: '100 ms' } } }, /exponential service/, 'nodes[2].params.service'],
    [{ client: { timeout: null } }, /no timeout/, 'nodes[0].params.timeout'],
    [{ client: { process: 'deterministic' } }, /Poisson/, 'nodes[0].params.process'],
    [{ queue: { capacity: undefined } }, /no capacity/, 'nodes[1].params.capacity'],
    [{ queue: { discipline: 'lifo' } }, /FIFO/, 'nodes[1].params.discipline'],
    [{ client: { retry: { maxAttempts: 3, retryOn: ['reject'] } } }, /does not retry on timeout/, 'nodes[0].params.retry.retryOn']
  ])('not applicable, with the reason and where: %j', (over, message, path) => {
    const x = extract(doc(over));
    expect(x.ok).toBe(false);
    if (!x.ok) {
      expect(x.notApplicable).toMatch(/^not applicable: /);
      expect(x.notApplicable).toMatch(message);
      expect(x.path).toBe(path);
    }
  });

  it('bad direct parameters give located issues', () => {
    const r = analyzeMetastability({ ...example(10), servers: 0, timeout: -1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path)).toEqual(['servers', 'timeout']);
  });
});
