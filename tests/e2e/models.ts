/** Model documents for the e2e tests (plain data, MODEL.md §1). */

interface NodeDoc {
  id: string;
  kind: string;
  label: string;
  x: number;
  y: number;
  params?: Record<string, unknown>;
}

/** An M/M/1 station: λ = 1/s, mean service 0.5 s, so W = 1 s end to end. */
export function mm1Doc(run: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const nodes: NodeDoc[] = [
    { id: 'clients', kind: 'client', label: 'Clients', x: 80, y: 120, params: { rate: '1/s' } },
    { id: 'q', kind: 'queue', label: 'Queue', x: 260, y: 120, params: {} },
    {
      id: 'srv',
      kind: 'server',
      label: 'Server',
      x: 420,
      y: 120,
      params: { servers: 1, service: { dist: 'exp', mean: '500 ms' } }
    },
    { id: 'done', kind: 'sink', label: 'Done', x: 580, y: 120 }
  ];
  return {
    format: 'systems-sandbox/model',
    version: 1,
    name: 'E2E M/M/1',
    notes: 'A seeded M/M/1 for the end-to-end tests.',
    run: { until: '2000 s', warmup: '100 s', seed: 42, replications: 3, ...run },
    nodes,
    edges: [
      { id: 'e1', from: 'clients.out', to: 'q.in' },
      { id: 'e2', from: 'q.out', to: 'srv.in' },
      { id: 'e3', from: 'srv.out', to: 'done.in' }
    ],
    ...extra
  };
}

/** The same model with an error at a known place: nodes[1].params.capacity. */
export function badDoc() {
  const doc = mm1Doc();
  doc.nodes[1].params = { capacity: 'ten' };
  return doc;
}
