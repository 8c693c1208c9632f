import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonError } from './jsonError.ts';
import { formatIssue } from './issues.ts';
import { effectiveBucket, niceCeil } from './normalize.ts';
import { MAX_DEPTH } from './plainData.ts';
import { load, MAX_TEXT_LENGTH, normalize, restore, validate } from './restore.ts';
import { baseDoc } from './testing.ts';
import type { ModelDocument, ModelIssue, Result } from './types.ts';

const MODEL_MD_EXAMPLE = {
  format: 'systems-sandbox/model',
  version: 1,
  name: 'Retry storm',
  notes: 'free text shown in the side panel',
  run: { until: '2700 s', warmup: 'auto', seed: 1, replications: 10 },
  nodes: [
    {
      id: 'clients',
      kind: 'client',
      label: 'Clients',
      x: 80,
      y: 120,
      params: { rate: '5/s', timeout: '5 s', retry: { maxAttempts: 6 } }
    },
    { id: 'q', kind: 'queue', x: 260, y: 120, params: { capacity: 150 } },
    { id: 'srv', kind: 'server', x: 420, y: 120, params: { servers: 1, service: { dist: 'exp', mean: '100 ms' } } },
    { id: 'done', kind: 'sink', x: 580, y: 120 }
  ],
  edges: [
    { id: 'e1', from: 'clients.out', to: 'q.in' },
    { id: 'e2', from: 'q.out', to: 'srv.in' },
    { id: 'e3', from: 'srv.out', to: 'done.in' }
  ],
  faults: [{ at: '300 s', for: '600 s', target: 'clients', action: 'rate', value: '15/s' }]
};

function issues<T>(r: Result<T>): ModelIssue[] {
  return r.ok ? [] : r.issues;
}

/** Restore a mutated copy of the base document. */
function restoreWith(mutate: (doc: ModelDocument & Record<string, unknown>) => void): ModelIssue[] {
  const doc = baseDoc() as ModelDocument & Record<string, unknown>;
  mutate(doc);
  return issues(restore(doc));
}

function isWellFormedResult(r: Result<unknown>): boolean {
  if (r.ok) return true;
  return (
    Array.isArray(r.issues) &&
    r.issues.length > 0 &&
    r.issues.every((i) => typeof i.path === 'string' && typeof i.message === 'string' && i.message.length > 0)
  );
}

describe('restore: valid documents', () => {
  it('reads the example of MODEL.md, as a value and as text', () => {
    const a = restore(MODEL_MD_EXAMPLE);
    const b = restore(JSON.stringify(MODEL_MD_EXAMPLE));
    expect(a).toEqual({ ok: true, value: MODEL_MD_EXAMPLE });
    expect(b).toEqual(a);
  });

  it('loads static/models/mm1.json', () => {
    const file = fileURLToPath(new URL('../../../static/models/mm1.json', import.meta.url));
    const r = load(readFileSync(file, 'utf8'));
    expect(issues(r)).toEqual([]);
    if (!r.ok) return;
    const { doc, model } = r.value;
    expect(doc.name).toBe('M/M/1 queue');
    expect(doc.notes).toMatch(/ρ/);
    expect(model.run).toEqual({ until: 20000, warmup: 'auto', seed: 1, replications: 10, confidence: 0.95, bucket: 10 });
    const byId = Object.fromEntries(model.nodes.map((n) => [n.id, n]));
    expect(byId.clients.params).toMatchObject({ mode: 'open', rate: 1, process: 'poisson' });
    expect(byId.q.params).toMatchObject({ capacity: Infinity, discipline: 'fifo' });
    expect(byId.srv.params).toMatchObject({ servers: 1, service: { dist: 'exp', mean: 0.5 } });
    expect(byId.done.kind).toBe('sink');
    expect(model.edges.map((e) => `${e.from.node}.${e.from.port}>${e.to.node}.${e.to.port}`)).toEqual([
      'clients.out>q.in',
      'q.out>srv.in',
      'srv.out>done.in'
    ]);
  });

  it('keeps unknown fields everywhere', () => {
    const doc = structuredClone(MODEL_MD_EXAMPLE) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    doc.extra = { nested: [1, 'two'] };
    doc.run.future = true;
    doc.nodes[0].color = 'red';
    doc.nodes[0].params.someNewParam = 42;
    doc.nodes[0].params.classes = [{ name: 'a', tag: 'x' }];
    doc.nodes[1].params.note = 'keep me';
    doc.nodes[2].params.service.comment = 'from prod';
    doc.nodes[3].params = { anything: 'goes' };
    doc.edges[0].style = 'dashed';
    doc.faults[0].why = 'retry storm';
    const r = restore(doc);
    expect(r).toEqual({ ok: true, value: doc });
  });

  it('returns a copy: the result never aliases the input', () => {
    const doc = structuredClone(MODEL_MD_EXAMPLE) as Record<string, unknown>;
    doc.extra = { a: 1 };
    const r = restore(doc);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.extra).not.toBe(doc.extra);
    (r.value.extra as { a: number }).a = 2;
    expect((doc.extra as { a: number }).a).toBe(1);
  });

  it('is idempotent', () => {
    const once = restore(MODEL_MD_EXAMPLE);
    expect(once.ok).toBe(true);
    if (once.ok) expect(restore(once.value)).toEqual(once);
  });

  it('accepts a byte-order mark before the JSON text', () => {
    expect(restore(`\uFEFF${JSON.stringify(MODEL_MD_EXAMPLE)}`).ok).toBe(true);
  });

  it('accepts empty model and omitted optional sections', () => {
    expect(restore({ format: 'systems-sandbox/model', version: 1, nodes: [], edges: [] }).ok).toBe(true);
  });
});

describe('normalize and load', () => {
  it('normalises run settings, edges and faults', () => {
    const r = load(MODEL_MD_EXAMPLE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const m = r.value.model;
    expect(m.name).toBe('Retry storm');
    expect(m.run).toEqual({ until: 2700, warmup: 'auto', seed: 1, replications: 10, confidence: 0.95, bucket: 2 });
    expect(m.edges[0]).toEqual({ id: 'e1', from: { node: 'clients', port: 'out' }, to: { node: 'q', port: 'in' }, weight: 1 });
    expect(m.faults).toEqual([{ at: 300, for: 600, target: 'clients', action: 'rate', value: 15 }]);
    expect(m.nodes.map((n) => n.label)).toEqual(['Clients', 'q', 'srv', 'done']);
  });

  it('fills run defaults', () => {
    const r = load({ format: 'systems-sandbox/model', version: 1, nodes: [], edges: [] });
    expect(r.ok && r.value.model.run).toEqual({
      until: 1000,
      warmup: 'auto',
      seed: 1,
      replications: 10,
      confidence: 0.95,
      bucket: 1
    });
    expect(r.ok && r.value.model.name).toBe('');
  });

  it('widens the bucket to at most 2000 buckets, on a 1-2-5 step', () => {
    expect(effectiveBucket(1000, 1)).toBe(1);
    expect(effectiveBucket(2000, 1)).toBe(1);
    expect(effectiveBucket(2700, 1)).toBe(2);
    expect(effectiveBucket(20000, 1)).toBe(10);
    expect(effectiveBucket(86400, 1)).toBe(50);
    expect(effectiveBucket(10, 0.001)).toBe(0.005);
    expect(effectiveBucket(100, 5)).toBe(5); // a wider written bucket stays
    expect(niceCeil(3)).toBe(5);
    expect(niceCeil(0.3)).toBe(0.5);
    expect(niceCeil(1e-3)).toBe(1e-3);
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), fc.double({ min: 1e-6, max: 100, noNaN: true }), (until, bucket) => {
        const b = effectiveBucket(until, bucket);
        return b >= bucket && until / b <= 2000 * (1 + 1e-9);
      }),
      { numRuns: 2000 }
    );
  });

  it('converts fault values by action', () => {
    const doc = baseDoc();
    doc.nodes.push({ id: 'l', kind: 'link' });
    doc.faults = [
      { at: 0, for: '1 min', target: 'c', action: 'rate', value: '30/min' },
      { at: '10 s', for: 5, target: 's', action: 'slowdown', value: 3 },
      { at: 0, for: 1, target: 'l', action: 'latency', value: '20 ms' },
      { at: 0, for: 1, target: 's', action: 'pause' }
    ];
    const r = load(doc);
    expect(issues(r)).toEqual([]);
    if (!r.ok) return;
    expect(r.value.model.faults).toEqual([
      { at: 0, for: 60, target: 'c', action: 'rate', value: 0.5 },
      { at: 10, for: 5, target: 's', action: 'slowdown', value: 3 },
      { at: 0, for: 1, target: 'l', action: 'latency', value: 0.02 },
      { at: 0, for: 1, target: 's', action: 'pause', value: NaN }
    ]);
  });

  it('normalize validates first and reports issues', () => {
    const doc = baseDoc();
    expect(normalize(doc).ok).toBe(true);
    (doc.nodes[1].params as Record<string, unknown>).capacity = -1;
    expect(issues(normalize(doc))).toEqual([{ path: 'nodes[1].params.capacity', message: 'expected a whole number ≥ 0, got -1' }]);
    expect(issues(validate(doc))[0].path).toBe('nodes[1].params.capacity');
  });
});

describe('located errors', () => {
  it('names the field: nodes[1].params.capacity', () => {
    const found = restoreWith((d) => {
      (d.nodes[1].params as Record<string, unknown>).capacity = 'ten';
    });
    expect(found).toEqual([{ path: 'nodes[1].params.capacity', message: 'expected a whole number ≥ 0, got "ten"' }]);
    expect(formatIssue(found[0])).toBe('nodes[1].params.capacity: expected a whole number ≥ 0, got "ten"');
  });

  it('reports every bad field at once', () => {
    const found = restoreWith((d) => {
      d.run = { until: 'ten', replications: 0, confidence: 1 };
      (d.nodes[1].params as Record<string, unknown>).capacity = 'ten';
      (d.nodes[2].params as Record<string, unknown>).servers = -2;
      d.edges[0].weight = -1;
    });
    expect(found.map((i) => i.path)).toEqual([
      'run.until',
      'run.replications',
      'run.confidence',
      'nodes[1].params.capacity',
      'nodes[2].params.servers',
      'edges[0].weight'
    ]);
    expect(found[0].message).toBe('expected a duration like "100 ms", got "ten"');
    expect(found[1].message).toBe('expected a whole number ≥ 1 and ≤ 10000, got 0');
    expect(found[2].message).toBe('expected a number > 0 and < 1, got 1');
  });

  it('checks the run settings', () => {
    expect(restoreWith((d) => (d.run = { until: 0 }))[0]).toEqual({
      path: 'run.until',
      message: 'expected a duration > 0 like "100 ms", got 0'
    });
    expect(restoreWith((d) => (d.run = { until: '100 s', warmup: '200 s' }))[0]).toEqual({
      path: 'run.warmup',
      message: 'expected a warm-up shorter than the run ("100 s"), got "200 s"'
    });
    expect(restoreWith((d) => (d.run = { warmup: 'later' }))[0].message).toContain('expected "auto" or a duration');
    expect(restoreWith((d) => (d.run = { seed: 1.5 }))[0].path).toBe('run.seed');
    expect(restoreWith((d) => (d.run = { bucket: '0 s' }))[0].path).toBe('run.bucket');
    expect(restoreWith((d) => (d.run = [] as never))[0]).toEqual({
      path: 'run',
      message: 'expected run settings {until, warmup, seed, replications, confidence, bucket}, got an empty list'
    });
  });

  it('checks required fields and shapes', () => {
    expect(restoreWith((d) => delete (d as Partial<ModelDocument>).nodes)).toEqual([
      { path: 'nodes', message: 'expected a list of nodes, got nothing' }
    ]);
    expect(restoreWith((d) => ((d.nodes as unknown[])[0] = 5))[0]).toEqual({
      path: 'nodes[0]',
      message: 'expected a node {id, kind, params}, got 5'
    });
    expect(restoreWith((d) => ((d.nodes as unknown[])[0] = ['client']))[0]).toEqual({
      path: 'nodes[0]',
      message: 'expected a node {id, kind, params}, got a list'
    });
    expect(restoreWith((d) => (d.nodes[0].kind = 'clientele' as never))[0]).toMatchObject({
      path: 'nodes[0].kind',
      message: expect.stringContaining('expected a node kind (one of "client", "link"')
    });
    expect(restoreWith((d) => delete (d.nodes[0] as Partial<ModelDocument['nodes'][0]>).id)[0]).toEqual({
      path: 'nodes[0].id',
      message: 'expected a node id (a non-empty string without "."), got nothing'
    });
    expect(restoreWith((d) => (d.nodes[0].id = 'a.b'))[0].path).toBe('nodes[0].id');
    expect(restoreWith((d) => (d.nodes[1].params = [] as never))[0]).toEqual({
      path: 'nodes[1].params',
      message: 'expected queue params (an object), got an empty list'
    });
    expect(restoreWith((d) => (d.nodes[0].x = 'left' as never))[0].path).toBe('nodes[0].x');
    expect(restoreWith((d) => (d.name = 5 as never))[0]).toEqual({ path: 'name', message: 'expected a name (a string), got 5' });
    expect(restoreWith((d) => (d.version = 1.5))[0].path).toBe('version');
  });

  it('uses bracket paths for odd keys', () => {
    const found = restoreWith((d) => {
      (d.nodes[2].params as Record<string, unknown>).serviceByClass = { 'bulk jobs': 'soon' };
    });
    expect(found[0].path).toBe('nodes[2].params.serviceByClass["bulk jobs"]');
  });
});

describe('graph checks', () => {
  it('names a missing node', () => {
    expect(restoreWith((d) => (d.edges[2].to = 'sink2.in'))).toEqual([
      { path: 'edges[2].to', message: 'no node "sink2" in this model (edge "e3" enters it)' }
    ]);
    expect(restoreWith((d) => (d.edges[0].from = 'ghost.out'))).toEqual([
      { path: 'edges[0].from', message: 'no node "ghost" in this model (edge "e1" leaves it)' }
    ]);
  });

  it('checks port names and directions', () => {
    expect(restoreWith((d) => (d.edges[1].from = 'q.hit'))).toEqual([
      { path: 'edges[1].from', message: 'node "q" (queue) has no output port "hit"; its output ports: "out"' }
    ]);
    expect(restoreWith((d) => (d.edges[2].from = 'k.in'))[0].message).toBe(
      'node "k" (sink) has no output port "in"; its output ports: none'
    );
    expect(restoreWith((d) => (d.edges[0].to = 'c.in'))[0].message).toBe(
      'node "c" (client) has no input port "in"; its input ports: none'
    );
    expect(restoreWith((d) => (d.edges[0].to = 'q'))[0]).toEqual({
      path: 'edges[0].to',
      message: 'expected "nodeId.port" like "q.out", got "q"'
    });
  });

  it('refuses duplicate ids', () => {
    expect(restoreWith((d) => (d.nodes[1].id = 'c'))).toContainEqual({
      path: 'nodes[1].id',
      message: 'duplicate node id "c" (also nodes[0])'
    });
    expect(restoreWith((d) => (d.edges[2].id = 'e1'))).toEqual([
      { path: 'edges[2].id', message: 'duplicate edge id "e1" (also edges[0])' }
    ]);
  });

  it('lets only a router fan out', () => {
    const fanOut = restoreWith((d) => {
      d.nodes.push({ id: 'k2', kind: 'sink' });
      d.edges.push({ id: 'e4', from: 's.out', to: 'k2.in' });
    });
    expect(fanOut).toEqual([
      {
        path: 'edges[3].from',
        message: '"s.out" already has an edge (edges[2]); only a router may send one output port to several edges'
      }
    ]);
    const doc = baseDoc();
    doc.nodes.push({ id: 'r', kind: 'router', params: { policy: 'weighted' } }, { id: 'k2', kind: 'sink' });
    doc.edges[2] = { id: 'e3', from: 's.out', to: 'r.in' };
    doc.edges.push({ id: 'e4', from: 'r.out', to: 'k.in', weight: 3 }, { id: 'e5', from: 'r.out', to: 'k2.in' });
    const r = load(doc);
    expect(issues(r)).toEqual([]);
    expect(r.ok && r.value.model.edges.map((e) => e.weight)).toEqual([1, 1, 1, 3, 1]);
    // Fan-in is fine for every kind.
    expect(restoreWith((d) => d.edges.push({ id: 'e4', from: 'q.out', to: 'k.in' }))[0].path).toBe('edges[3].from');
  });

  it('allows the cache to use hit and miss once each', () => {
    const doc = baseDoc();
    doc.nodes.push({ id: 'ca', kind: 'cache' });
    doc.edges = [
      { id: 'a', from: 'c.out', to: 'ca.in' },
      { id: 'b', from: 'ca.hit', to: 'k.in' },
      { id: 'c', from: 'ca.miss', to: 'q.in' },
      { id: 'd', from: 'q.out', to: 's.in' },
      { id: 'e', from: 's.out', to: 'k.in' }
    ];
    expect(issues(restore(doc))).toEqual([]);
  });

  it('checks fault targets, actions and values', () => {
    expect(restoreWith((d) => (d.faults = [{ at: 0, for: 1, target: 'nobody', action: 'pause' }]))).toEqual([
      { path: 'faults[0].target', message: 'no node "nobody" in this model' }
    ]);
    expect(restoreWith((d) => (d.faults = [{ at: 0, for: 1, target: 's', action: 'crash' }]))).toEqual([
      { path: 'faults[0].action', message: 'a "crash" fault needs a cores or replicas node; "s" is a server' }
    ]);
    expect(restoreWith((d) => (d.faults = [{ at: 0, for: 1, target: 'q', action: 'slowdown', value: 2 }]))[0].message).toBe(
      'a "slowdown" fault needs a server or cores node; "q" is a queue'
    );
    expect(restoreWith((d) => (d.faults = [{ at: 0, for: 1, target: 'c', action: 'rate' }]))).toEqual([
      { path: 'faults[0].value', message: 'expected a rate ≥ 0 like "5/s", got nothing' }
    ]);
    expect(restoreWith((d) => (d.faults = [{ at: 0, for: 1, target: 's', action: 'slowdown', value: 0 }]))[0]).toEqual({
      path: 'faults[0].value',
      message: 'expected a slowdown factor > 0 (2 = twice as slow), got 0'
    });
    expect(restoreWith((d) => (d.faults = [{ at: 0, for: 1, target: 's', action: 'explode' as never }]))[0].path).toBe(
      'faults[0].action'
    );
    expect(restoreWith((d) => (d.faults = [{ at: -1, for: 0, target: 's', action: 'pause' }])).map((i) => i.path)).toEqual([
      'faults[0].at',
      'faults[0].for'
    ]);
  });
});

describe('foreign and broken input', () => {
  it.each<[string, unknown, string]>([
    ['a number', 42, 'got 42'],
    ['null', null, 'got null'],
    ['undefined', undefined, 'got nothing'],
    ['a list', [MODEL_MD_EXAMPLE], 'got a list'],
    ['a boolean', true, 'got true'],
    ['a JSON number', '42', 'got 42'],
    ['a JSON string', '"model"', 'got "model"']
  ])('%s', (_name, input, got) => {
    const found = issues(restore(input));
    expect(found).toHaveLength(1);
    expect(found[0].path).toBe('');
    expect(found[0].message).toContain('expected a model document');
    expect(found[0].message).toContain(got);
  });

  it('says when a document is not ours', () => {
    expect(issues(restore({ type: 'excalidraw', elements: [] }))).toEqual([
      { path: 'format', message: 'expected "systems-sandbox/model" (this is not a Systems Sandbox model), got nothing' }
    ]);
  });

  it('refuses newer versions with a clear message', () => {
    expect(issues(restore({ ...MODEL_MD_EXAMPLE, version: 2 }))).toEqual([
      { path: 'version', message: 'this model was saved by a newer version (v2); this app reads up to v1' }
    ]);
    expect(issues(restore({ ...MODEL_MD_EXAMPLE, version: 0 }))[0].path).toBe('version');
    expect(issues(restore({ ...MODEL_MD_EXAMPLE, version: '1' }))[0].path).toBe('version');
  });

  it('reports JSON syntax errors with their position', () => {
    expect(issues(restore('{"format": "systems-sandbox/model",\n  "version": 1,\n  "nodes": [}'))).toEqual([
      {
        path: '',
        message: 'not valid JSON: unexpected "}" where a value should be at line 3, column 13 (position 64)'
      }
    ]);
    expect(issues(restore('{"a": 1,}'))[0].message).toBe(
      'not valid JSON: unexpected "}" where a property name in double quotes should be at line 1, column 9 (position 8)'
    );
    expect(issues(restore("{'a': 1}"))[0].message).toContain('a single quote (JSON strings use double quotes)');
    expect(issues(restore(''))[0].message).toBe('not valid JSON: unexpected end of the text at line 1, column 1 (position 0)');
    expect(issues(restore('{} {}'))[0].message).toContain('after the end of the document');
  });

  it('refuses text above 5,000,000 characters without parsing it', () => {
    const huge = `{"format": "systems-sandbox/model", "notes": "${'x'.repeat(MAX_TEXT_LENGTH)}"}`;
    expect(issues(restore(huge))).toEqual([
      {
        path: '',
        message: `this model is too large (${huge.length.toLocaleString('en-US')} characters; the limit is 5,000,000)`
      }
    ]);
  });

  it('refuses non-JSON values with their path', () => {
    const withValue = (x: unknown) => {
      const doc = structuredClone(MODEL_MD_EXAMPLE) as Record<string, unknown>;
      (doc.nodes as Record<string, unknown>[])[1].extra = x;
      return issues(restore(doc));
    };
    expect(withValue(NaN)).toEqual([{ path: 'nodes[1].extra', message: 'expected a finite number, got NaN' }]);
    expect(withValue(Infinity)[0].path).toBe('nodes[1].extra');
    expect(withValue(() => 1)).toEqual([{ path: 'nodes[1].extra', message: 'expected plain JSON data, got a function' }]);
    expect(withValue(new Date(0))[0].message).toBe('expected plain JSON data, got a Date');
    expect(withValue(new Map())[0].message).toBe('expected plain JSON data, got a Map');
    expect(withValue(10n)[0].path).toBe('nodes[1].extra');
    expect(withValue(Symbol('s'))[0].message).toBe('expected plain JSON data, got a symbol');
  });

  it('survives cycles and deep nesting', () => {
    const cyclic = structuredClone(MODEL_MD_EXAMPLE) as Record<string, unknown>;
    cyclic.self = cyclic;
    expect(issues(restore(cyclic))[0].message).toContain('nested too deeply');

    const deep = 200_000;
    const text = `{"format": "systems-sandbox/model", "version": 1, "nodes": [], "edges": [], "junk": ${'['.repeat(deep)}${']'.repeat(deep)}}`;
    const found = issues(restore(text));
    expect(found).toHaveLength(1);
    expect(found[0].message).toContain(`more than ${MAX_DEPTH} levels`);
    expect(found[0].path).toMatch(/^junk(\[0\])+$/);

    const deepObject = `{"format": "systems-sandbox/model", "version": 1, "nodes": [], "edges": [], "junk": ${'{"a":'.repeat(deep)}1${'}'.repeat(deep)}}`;
    expect(issues(restore(deepObject))[0].message).toContain('nested too deeply');

    // Nested bimodal distributions are fine up to the depth limit.
    let dist: unknown = 1;
    for (let i = 0; i < 40; i++) dist = { dist: 'bimodal', p: 0.5, fast: dist, slow: 1 };
    const doc = baseDoc();
    (doc.nodes[2].params as Record<string, unknown>).service = dist;
    expect(issues(restore(doc))).toEqual([]);
  });

  it('turns a throwing getter into an issue instead of throwing', () => {
    const hostile = { format: 'systems-sandbox/model', version: 1, edges: [] } as Record<string, unknown>;
    Object.defineProperty(hostile, 'nodes', {
      enumerable: true,
      get() {
        throw new Error('boom');
      }
    });
    const r = restore(hostile);
    expect(r.ok).toBe(false);
    expect(issues(r)[0].message).toContain('boom');
    expect(() => load(hostile)).not.toThrow();
    expect(() => normalize(hostile as unknown as ModelDocument)).not.toThrow();
  });
});

describe('never throws (property-based)', () => {
  it('on arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true }), (x) => {
        const r = load(x);
        return isWellFormedResult(r) && isWellFormedResult(restore(x));
      }),
      { numRuns: 3000 }
    );
  });

  it('on arbitrary strings and JSON texts', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.string({ unit: 'binary' })), (text) => {
        const r = restore(text);
        return isWellFormedResult(r);
      }),
      { numRuns: 3000 }
    );
  });

  it('locates JSON errors in broken texts; valid texts have none', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.string({ maxLength: 3 }), (text, at, insert) => {
        const i = at % (text.length + 1);
        const broken = text.slice(0, i) + insert + text.slice(i);
        let valid = true;
        try {
          JSON.parse(broken);
        } catch {
          valid = false;
        }
        const found = findJsonError(broken);
        return valid ? found === null : found !== null && found.position <= broken.length;
      }),
      { numRuns: 3000 }
    );
  });

  it('on valid documents with one part replaced by junk', () => {
    const paths: (string | number)[][] = [
      [],
      ['format'],
      ['version'],
      ['run'],
      ['run', 'until'],
      ['run', 'warmup'],
      ['nodes'],
      ['nodes', 0],
      ['nodes', 0, 'kind'],
      ['nodes', 0, 'params'],
      ['nodes', 0, 'params', 'rate'],
      ['nodes', 0, 'params', 'classes'],
      ['nodes', 1, 'params', 'capacity'],
      ['nodes', 2, 'params', 'service'],
      ['nodes', 2, 'params', 'service', 'mean'],
      ['nodes', 2, 'params', 'service', 'dist'],
      ['edges'],
      ['edges', 0],
      ['edges', 0, 'from'],
      ['faults'],
      ['faults', 0],
      ['faults', 0, 'action'],
      ['faults', 0, 'value']
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.anything(), fc.boolean(), (path, junk, asText) => {
        const doc = structuredClone(MODEL_MD_EXAMPLE) as unknown as Record<string | number, unknown>;
        let target: Record<string | number, unknown> = doc;
        let root: unknown = junk;
        if (path.length) {
          for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
          target[path[path.length - 1]] = junk;
          root = doc;
        }
        let input: unknown = root;
        if (asText) {
          try {
            input = JSON.stringify(root) ?? 'undefined';
          } catch {
            input = 'not json';
          }
        }
        const r = load(input);
        if (!isWellFormedResult(r)) return false;
        // Whatever restore accepts, normalize accepts.
        if (r.ok) return normalize(r.value.doc).ok;
        return true;
      }),
      { numRuns: 4000 }
    );
  });

  it('on documents generated from the parts of the format', () => {
    const quantity = fc.oneof(
      fc.double({ noNaN: true }),
      fc.constantFrom('100 ms', '5/s', '1 KiB', '10 Gbit/s', 'ten', '-1 s', '0', 'infinite', '')
    );
    const dist = fc.oneof(
      quantity,
      fc.record({ dist: fc.constantFrom('det', 'exp', 'uniform', 'bimodal', 'nope'), mean: quantity, value: quantity, min: quantity, max: quantity }, { requiredKeys: ['dist'] })
    );
    const node = fc.record(
      {
        id: fc.constantFrom('a', 'b', 'c', 'x.y', ''),
        kind: fc.constantFrom('client', 'queue', 'server', 'router', 'sink', 'link', 'cache', 'replicas', 'what'),
        params: fc.record(
          { rate: quantity, capacity: quantity, servers: quantity, service: dist, latency: dist, policy: fc.string(), n: fc.integer() },
          { requiredKeys: [] }
        )
      },
      { requiredKeys: ['id', 'kind'] }
    );
    const edge = fc.record({
      id: fc.constantFrom('e1', 'e2', 'e3'),
      from: fc.constantFrom('a.out', 'b.out', 'c.hit', 'z.out', 'a'),
      to: fc.constantFrom('a.in', 'b.in', 'c.in', 'z.in')
    });
    const doc = fc.record({
      format: fc.constant('systems-sandbox/model'),
      version: fc.constant(1),
      nodes: fc.array(node, { maxLength: 4 }),
      edges: fc.array(edge, { maxLength: 4 })
    });
    let accepted = 0;
    fc.assert(
      fc.property(doc, (d) => {
        const r = load(d);
        if (r.ok) accepted++;
        return isWellFormedResult(r) && (!r.ok || normalize(r.value.doc).ok);
      }),
      { numRuns: 3000 }
    );
    expect(accepted).toBeGreaterThan(0);
  });
});

describe('untrusted keys', () => {
  it('drops a "__proto__" key instead of letting it reach a prototype', () => {
    const text =
      '{"format":"systems-sandbox/model","version":1,"__proto__":{"polluted":true},' +
      '"nodes":[{"id":"c","kind":"client","__proto__":{"p":1}}],"edges":[]}';
    const r = restore(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(r.value.nodes[0])).toBe(Object.prototype);
    expect(Object.keys(r.value)).not.toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
