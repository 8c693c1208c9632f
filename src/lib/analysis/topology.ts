/**
 * The model seen as a queueing network: nodes grouped into units (a station is a server plus
 * the one queue in front of it), the routing matrix between units, strongly connected
 * components in topological order, and the request classes. No formulas here.
 *
 * Station shape (the only one a closed form is claimed for): a server whose in-edges all come
 * from exactly one queue, that queue having no other out-edge; or a server fed by no queue at
 * all (no waiting room). Any other arrangement of queues leaves the nodes as 'other' units.
 */

import type {
  ClientParams,
  Dist,
  NormalizedModel,
  NormalizedNode,
  QueueParams,
  ServerParams
} from '../model/types';
import { solveLinear } from './numeric';

export type UnitKind = 'client' | 'station' | 'link' | 'router' | 'sink' | 'other';

type NodeOf<K extends NormalizedNode['kind']> = Extract<NormalizedNode, { kind: K }>;

export interface Unit {
  index: number;
  kind: UnitKind;
  /** The node whose out-edges leave the unit (the server of a station). */
  node: NormalizedNode;
  /** The queue in front of a station's server, when there is one. */
  queue?: NodeOf<'queue'>;
  /** Node ids in the unit (queue first). */
  nodeIds: string[];
  /** Set when the unit's outputs are ambiguous (e.g. several out-edges on a server). */
  issue?: string;
}

export interface ClassInfo {
  name: string;
  /** Smaller is served first. */
  priority: number;
  /** Request size in bytes, when known. */
  size: Dist | null;
  /** True when two clients define this class name differently (priority or size). */
  conflict: boolean;
}

export interface Topology {
  units: Unit[];
  unitOf: Map<string, number>;
  /** P[i][j]: fraction of the departures of unit i that arrive at unit j (row sums ≤ 1). */
  P: number[][];
  succ: number[][];
  pred: number[][];
  /** Strongly connected components, sources first. */
  components: number[][];
  /** Unit lies on a directed cycle. */
  onCycle: boolean[];
  /** Units with at least one in-edge. */
  hasInput: boolean[];
  /** Request classes by name, over all clients. */
  classes: ClassInfo[];
  classIndex: Map<string, number>;
}

/** The name given to the requests of a client that declares no classes. */
export const DEFAULT_CLASS = 'default';

export function clientClasses(p: ClientParams): { name: string; weight: number; priority: number; size: Dist | null }[] {
  if (p.classes.length === 0) return [{ name: DEFAULT_CLASS, weight: 1, priority: 0, size: null }];
  return p.classes.map((c) => ({ name: c.name, weight: c.weight, priority: c.priority, size: c.size }));
}

function sameDist(a: Dist | null, b: Dist | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function buildTopology(model: NormalizedModel): Topology {
  const byId = new Map(model.nodes.map((n) => [n.id, n]));
  const outEdges = new Map<string, typeof model.edges>();
  const inEdges = new Map<string, typeof model.edges>();
  for (const e of model.edges) {
    if (!byId.has(e.from.node) || !byId.has(e.to.node)) continue;
    (outEdges.get(e.from.node) ?? outEdges.set(e.from.node, []).get(e.from.node)!).push(e);
    (inEdges.get(e.to.node) ?? inEdges.set(e.to.node, []).get(e.to.node)!).push(e);
  }
  const outs = (id: string) => outEdges.get(id) ?? [];
  const ins = (id: string) => inEdges.get(id) ?? [];

  // Stations: pair each server with the single queue in front of it.
  const queueOfServer = new Map<string, NodeOf<'queue'> | null>();
  const claimedQueues = new Set<string>();
  const badServers = new Set<string>();
  for (const n of model.nodes) {
    if (n.kind !== 'server') continue;
    const sources = [...new Set(ins(n.id).map((e) => e.from.node))].map((id) => byId.get(id)!);
    const queues = sources.filter((s): s is NodeOf<'queue'> => s.kind === 'queue');
    if (queues.length === 0) {
      queueOfServer.set(n.id, null);
    } else if (
      queues.length === 1 &&
      sources.length === 1 &&
      outs(queues[0].id).every((e) => e.to.node === n.id)
    ) {
      queueOfServer.set(n.id, queues[0]);
      claimedQueues.add(queues[0].id);
    } else {
      badServers.add(n.id);
    }
  }

  const units: Unit[] = [];
  const unitOf = new Map<string, number>();
  const add = (u: Omit<Unit, 'index'>) => {
    const index = units.length;
    units.push({ ...u, index });
    for (const id of u.nodeIds) unitOf.set(id, index);
  };
  for (const n of model.nodes) {
    if (n.kind === 'queue' && claimedQueues.has(n.id)) continue; // joins its server
    if (n.kind === 'server') {
      if (badServers.has(n.id)) {
        add({ kind: 'other', node: n, nodeIds: [n.id], issue: 'the queues in front of this server do not form one station' });
        continue;
      }
      const q = queueOfServer.get(n.id) ?? undefined;
      add({ kind: 'station', node: n, queue: q, nodeIds: q ? [q.id, n.id] : [n.id] });
      continue;
    }
    const kind: UnitKind =
      n.kind === 'client' || n.kind === 'link' || n.kind === 'router' || n.kind === 'sink' ? n.kind : 'other';
    add({
      kind,
      node: n,
      nodeIds: [n.id],
      ...(n.kind === 'queue' ? { issue: 'a queue that does not feed exactly one server' } : {}),
      ...(kind === 'other' && n.kind !== 'queue' ? { issue: `no closed form for a ${n.kind}` } : {})
    });
  }

  // Routing between units.
  const U = units.length;
  const P = units.map(() => new Array<number>(U).fill(0));
  for (const u of units) {
    if (u.kind === 'sink') continue;
    const es = outs(u.node.id);
    if (es.length === 0) continue;
    let share: number[];
    if (u.node.kind === 'router') {
      const policy = u.node.params.policy;
      if (policy === 'random' || policy === 'probabilistic' || policy === 'weighted') {
        const total = es.reduce((s, e) => s + e.weight, 0);
        if (!(total > 0)) {
          u.issue = 'the router’s edge weights sum to 0';
          share = es.map(() => 1 / es.length);
        } else share = es.map((e) => e.weight / total);
      } else {
        share = es.map(() => 1 / es.length);
      }
    } else {
      if (es.length > 1 && !u.issue) u.issue = `${u.node.kind} ${u.node.id} has several outputs`;
      share = es.map(() => 1 / es.length);
    }
    const keep = u.node.kind === 'link' ? 1 - u.node.params.loss : 1;
    es.forEach((e, k) => {
      const j = unitOf.get(e.to.node);
      if (j !== undefined) P[u.index][j] += share[k] * keep;
    });
  }
  const succ = P.map((row) => row.flatMap((p, j) => (p > 0 ? [j] : [])));
  const pred = units.map(() => [] as number[]);
  succ.forEach((js, i) => js.forEach((j) => pred[j].push(i)));
  const hasInput = units.map((u) => u.nodeIds.some((id) => ins(id).some((e) => !u.nodeIds.includes(e.from.node))));

  const components = stronglyConnected(succ);
  const onCycle = units.map(() => false);
  for (const comp of components) {
    if (comp.length > 1 || succ[comp[0]].includes(comp[0])) for (const i of comp) onCycle[i] = true;
  }

  // Classes over all clients.
  const classes: ClassInfo[] = [];
  const classIndex = new Map<string, number>();
  for (const n of model.nodes) {
    if (n.kind !== 'client') continue;
    for (const c of clientClasses(n.params)) {
      const k = classIndex.get(c.name);
      if (k === undefined) {
        classIndex.set(c.name, classes.length);
        classes.push({ name: c.name, priority: c.priority, size: c.size, conflict: false });
      } else if (classes[k].priority !== c.priority || !sameDist(classes[k].size, c.size)) {
        classes[k].conflict = true;
      }
    }
  }

  return { units, unitOf, P, succ, pred, components, onCycle, hasInput, classes, classIndex };
}

/** Tarjan's algorithm (iterative); components returned sources first (topological order). */
export function stronglyConnected(succ: number[][]): number[][] {
  const n = succ.length;
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: [number, number][] = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (work.length > 0) {
      const top = work[work.length - 1];
      const [v, k] = top;
      if (k < succ[v].length) {
        top[1]++;
        const w = succ[v][k];
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = true;
          work.push([w, 0]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v], index[w]);
        }
      } else {
        work.pop();
        if (work.length > 0) {
          const parent = work[work.length - 1][0];
          low[parent] = Math.min(low[parent], low[v]);
        }
        if (low[v] === index[v]) {
          const comp: number[] = [];
          let w: number;
          do {
            w = stack.pop()!;
            onStack[w] = false;
            comp.push(w);
          } while (w !== v);
          out.push(comp);
        }
      }
    }
  }
  return out.reverse();
}

/** Units reachable from `start` (included) along edges with P > 0. */
export function reachable(succ: number[][], start: Iterable<number>): Set<number> {
  const seen = new Set<number>();
  const todo = [...start];
  while (todo.length > 0) {
    const i = todo.pop()!;
    if (seen.has(i)) continue;
    seen.add(i);
    for (const j of succ[i]) if (!seen.has(j)) todo.push(j);
  }
  return seen;
}

/**
 * Probability of eventually arriving at unit `target` from each unit of `transient`, when a
 * request leaving i goes to j with probability P[i][j] and is then admitted with probability
 * accept[j]: h(i) = Σ_j P[i][j]·accept[j]·h(j), h(target) = 1, h = 0 outside. `null` if singular.
 */
export function absorption(
  P: number[][],
  transient: number[],
  target: number,
  accept: (j: number) => number
): Map<number, number> | null {
  const pos = new Map(transient.map((u, k) => [u, k]));
  const A = transient.map((i) => transient.map((j) => (i === j ? 1 : 0) - P[i][j] * accept(j)));
  const b = transient.map((i) => P[i][target] * accept(target));
  const h = solveLinear(A, b);
  if (!h) return null;
  const out = new Map<number, number>();
  transient.forEach((u) => out.set(u, Math.max(0, h[pos.get(u)!])));
  return out;
}

/** Parameters by kind, typed. */
export function serverParams(u: Unit): ServerParams {
  if (u.node.kind !== 'server') throw new Error(`unit ${u.index} is not a station`);
  return u.node.params;
}

export function queueParams(u: Unit): QueueParams | undefined {
  return u.queue?.params;
}
