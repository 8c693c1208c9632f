/** `sandbox-sim analyze …` in process: exit codes, and the JSON shapes documented in docs/cli.md. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeMain } from './analyze';

const dir = mkdtempSync(join(tmpdir(), 'analyze-'));
function file(name: string, doc: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return p;
}
const model = (serviceDist = 'exp') => ({
  format: 'systems-sandbox/model',
  version: 1,
  name: 'Retry storm',
  nodes: [
    { id: 'clients', kind: 'client', params: { rate: '5/s', timeout: '5 s', retry: { maxAttempts: 6 } } },
    { id: 'q', kind: 'queue', params: { capacity: 35 } },
    { id: 'srv', kind: 'server', params: { servers: 1, service: serviceDist === 'exp' ? { dist: 'exp', mean: '100 ms' } : '100 ms' } },
    { id: 'done', kind: 'sink' },
    { id: 'raft', kind: 'replicas', params: { protocol: 'raft', n: 3, failureProbability: 0.01 } }
  ],
  edges: [
    { id: 'e1', from: 'clients.out', to: 'q.in' },
    { id: 'e2', from: 'q.out', to: 'srv.in' },
    { id: 'e3', from: 'srv.out', to: 'done.in' }
  ],
  faults: [{ at: '300 s', for: '600 s', target: 'clients', action: 'rate', value: '15/s' }]
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await analyzeMain(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('sandbox-sim analyze', () => {
  it('metastability --json: format, params, both T(q) models, equilibria, chain', async () => {
    const r = await run(['metastability', file('m.json', model()), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({
      format: 'systems-sandbox/metastability',
      version: 1,
      model: 'Retry storm',
      nodes: { client: 'clients', queue: 'q', server: 'srv' },
      params: { arrivalRate: 5, capacity: 35, servers: 1, timeout: 5, retries: 5 },
      trigger: { rate: 15, duration: 600 }
    });
    expect(Object.keys(j.analyses)).toEqual(['erlang', 'chebyshev']);
    const e = j.analyses.erlang;
    expect(e.equilibria.map((x: { kind: string }) => x.kind)).toEqual(['drained']);
    expect(e.trigger.class).toBe('stable');
    expect(e.chain.recovery.expectedTime).toBeGreaterThan(10);
    expect(e.chain.recovery.expectedTime).toBeLessThan(60);
    expect(e.field.queue).toHaveLength(41);
  });

  it('metastability: not applicable exits 3 with the reason and the path', async () => {
    const r = await run(['metastability', file('det.json', model('det')), '--no-chain']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/not applicable: server "srv" has det service/);
    expect(r.err).toMatch(/nodes\[2\]\.params\.service/);
  });

  it('consensus --json: the replicas node by id', async () => {
    const r = await run(['consensus', file('c.json', model()), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.format).toBe('systems-sandbox/consensus');
    expect(j.nodes.raft.protocol).toBe('raft');
    expect(j.nodes.raft.pSafeAndLive).toBeCloseTo(0.999702, 9);
  });

  it('usage errors exit 64, unreadable files 66, invalid models 2', async () => {
    expect((await run(['nonsense'])).code).toBe(64);
    expect((await run(['consensus'])).code).toBe(64);
    expect((await run(['consensus', 'x.json', '--client', 'a'])).code).toBe(64);
    expect((await run(['consensus', join(dir, 'missing.json')])).code).toBe(66);
    const bad = await run(['consensus', file('bad.json', '{"format":"systems-sandbox/model","version":1,"nodes":[{"id":"q","kind":"queue","params":{"capacity":"ten"}}],"edges":[]}')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/nodes\[0\]\.params\.capacity/);
  });
});
