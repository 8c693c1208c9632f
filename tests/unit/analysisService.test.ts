/**
 * The analysis worker's service over an in-process MessageChannel (the same Comlink wiring as
 * workers/analysis.worker.ts): results survive structured cloning, typed arrays arrive intact.
 */
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import { createAnalysisService, type AnalysisService } from '../../workers/analysisService';

const { port1, port2 } = new MessageChannel();
Comlink.expose(createAnalysisService(), port2);
const remote = Comlink.wrap<AnalysisService>(port1);
afterAll(() => {
  port1.close();
  port2.close();
});

const example = { arrivalRate: 5, serviceRate: 10, servers: 1, capacity: 35, timeout: 5, retries: 5 };

describe('analysis service over Comlink', () => {
  it('metastability: the bound-35 example, with the stationary vector transferred', async () => {
    const r = await remote.metastability(example, { includeDistribution: true, mixing: false });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.equilibria.map((e) => e.kind)).toEqual(['drained']);
    const pi = r.chain!.stationary.distribution!;
    expect(pi).toBeInstanceOf(Float64Array);
    expect(pi.length).toBe(r.chain!.states);
    expect(pi.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 12);
  });

  it('classifyTriggers: the sweep\'s cheap level', async () => {
    const out = await remote.classifyTriggers({ ...example, capacity: 150 }, [
      { rate: 8, duration: 10 },
      { rate: 15, duration: 600 }
    ]);
    expect(out.map((c) => c.class)).toEqual(['vulnerable', 'metastable']);
  });

  it('consensus: Raft, 3 nodes at 1%', async () => {
    const r = await remote.consensus({ protocol: 'raft', n: 3, failureProbability: 0.01 });
    expect(r.ok && r.pSafeAndLive).toBeCloseTo(0.999702, 9);
  });
});
