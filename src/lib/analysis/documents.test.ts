/**
 * End to end through the model layer's one door: a written document (units as strings,
 * defaults omitted) → load() → analyze(). Guards against drift between NormalizedModel as
 * normalize() really fills it and what the matcher expects.
 */
import { describe, expect, it } from 'vitest';
import { load } from '../model/restore';
import { analyze } from './analyze';

function analyzeDoc(doc: unknown) {
  const r = load(doc);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return analyze(r.value.model);
}

const doc = (nodes: unknown[], edges: unknown[], extra: Record<string, unknown> = {}) => ({
  format: 'systems-sandbox/model',
  version: 1,
  nodes,
  edges,
  ...extra
});

describe('analyze on loaded documents', () => {
  it('M/M/1 written with units and defaults', () => {
    const r = analyzeDoc(
      doc(
        [
          { id: 'clients', kind: 'client', params: { rate: '1/s' } },
          { id: 'q', kind: 'queue' },
          { id: 'srv', kind: 'server', params: { service: { dist: 'exp', mean: '500 ms' } } },
          { id: 'done', kind: 'sink' }
        ],
        [
          { id: 'e1', from: 'clients.out', to: 'q.in' },
          { id: 'e2', from: 'q.out', to: 'srv.in' },
          { id: 'e3', from: 'srv.out', to: 'done.in' }
        ]
      )
    );
    expect(r.nodes.srv?.formula).toBe('M/M/1');
    expect(r.nodes.done?.response).toBeCloseTo(1.0, 12);
    expect(r.nodes.done?.byClass?.default?.response).toBeCloseTo(1.0, 12);
  });

  it('the MODEL.md example (a rate fault on the clients) is not claimed', () => {
    const r = analyzeDoc(
      doc(
        [
          { id: 'clients', kind: 'client', params: { rate: '5/s' } },
          { id: 'q', kind: 'queue', params: { capacity: 150 } },
          { id: 'srv', kind: 'server', params: { servers: 1, service: { dist: 'exp', mean: '100 ms' } } },
          { id: 'done', kind: 'sink' }
        ],
        [
          { id: 'e1', from: 'clients.out', to: 'q.in' },
          { id: 'e2', from: 'q.out', to: 'srv.in' },
          { id: 'e3', from: 'srv.out', to: 'done.in' }
        ],
        { faults: [{ at: '300 s', for: '600 s', target: 'clients', action: 'rate', value: '15/s' }] }
      )
    );
    expect(r.nodes.srv).toBeUndefined();
    // Without the fault it is M/M/1/151.
    const plain = analyzeDoc(
      doc(
        [
          { id: 'clients', kind: 'client', params: { rate: '5/s' } },
          { id: 'q', kind: 'queue', params: { capacity: 150 } },
          { id: 'srv', kind: 'server', params: { servers: 1, service: { dist: 'exp', mean: '100 ms' } } },
          { id: 'done', kind: 'sink' }
        ],
        [
          { id: 'e1', from: 'clients.out', to: 'q.in' },
          { id: 'e2', from: 'q.out', to: 'srv.in' },
          { id: 'e3', from: 'srv.out', to: 'done.in' }
        ]
      )
    );
    expect(plain.nodes.srv?.formula).toBe('M/M/1/K');
    expect(plain.nodes.srv?.station?.inSystem).toBeCloseTo(1, 9); // ρ = 0.5, K = 151 ≈ M/M/1
  });

  it('closed clients with the default think time', () => {
    const r = analyzeDoc(
      doc(
        [
          { id: 'users', kind: 'client', params: { mode: 'closed', users: 4 } },
          { id: 'q', kind: 'queue' },
          { id: 'srv', kind: 'server', params: { service: { dist: 'exp', mean: '200 ms' } } },
          { id: 'done', kind: 'sink' }
        ],
        [
          { id: 'e1', from: 'users.out', to: 'q.in' },
          { id: 'e2', from: 'q.out', to: 'srv.in' },
          { id: 'e3', from: 'srv.out', to: 'done.in' }
        ]
      )
    );
    expect(r.nodes.users?.formula).toBe('MVA (closed)');
    const X = r.nodes.users?.throughput as number;
    const R = r.nodes.done?.response as number;
    expect(X * (R + 1)).toBeCloseTo(4, 9); // Little on the cycle, think time 1 s by default
  });
});
