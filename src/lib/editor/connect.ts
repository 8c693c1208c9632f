/**
 * What may connect to what (MODEL.md §2, the same rules as src/lib/model/graph.ts, asked before
 * an edge exists so the wire tool can say why not while the user drags):
 *  - an edge joins an output port to an input port (dragging from an input is read backwards);
 *  - a node does not connect to itself;
 *  - only a router may send one output port to several edges;
 *  - the same two ports are joined at most once.
 * Input ports take any number of edges (several streams merge).
 */
import { KINDS } from '../model/kinds/index.ts';
import type { EdgeInput, ModelDocument, NodeInput } from '../model/types.ts';
import type { PortDir } from './geometry.ts';

export interface PortEnd {
  node: string;
  port: string;
}

export type ConnectCheck =
  | { ok: true; from: PortEnd; to: PortEnd }
  | { ok: false; reason: string };

export function portRef(end: PortEnd): string {
  return `${end.node}.${end.port}`;
}

function hasPort(node: NodeInput, port: string, dir: PortDir): boolean {
  return KINDS[node.kind].ports[dir].includes(port);
}

function name(node: NodeInput): string {
  return node.label && node.label !== node.id ? `${node.label} (${node.id})` : node.id;
}

function whichDir(node: NodeInput, port: string, hint?: PortDir): PortDir | null {
  const p = KINDS[node.kind].ports;
  if (hint) return p[hint].includes(port) ? hint : null;
  if (p.out.includes(port)) return 'out';
  if (p.in.includes(port)) return 'in';
  return null;
}

/**
 * May an edge be drawn from port `a` to port `b`? `a` is where the drag started. Directions are
 * taken from the ports (a node kind never has an input and an output of the same name, and
 * the hints disambiguate if one ever does).
 */
export function checkConnection(
  doc: ModelDocument,
  a: PortEnd & { dir?: PortDir },
  b: PortEnd & { dir?: PortDir },
  edges: readonly EdgeInput[] = doc.edges
): ConnectCheck {
  const na = doc.nodes.find((n) => n.id === a.node);
  const nb = doc.nodes.find((n) => n.id === b.node);
  if (!na) return { ok: false, reason: `there is no node "${a.node}"` };
  if (!nb) return { ok: false, reason: `there is no node "${b.node}"` };
  const da = whichDir(na, a.port, a.dir);
  const db = whichDir(nb, b.port, b.dir);
  if (!da) return { ok: false, reason: `${name(na)} has no port "${a.port}"` };
  if (!db) return { ok: false, reason: `${name(nb)} has no port "${b.port}"` };
  if (da === db) {
    return {
      ok: false,
      reason: da === 'out' ? 'both ends are outputs: connect an output to an input' : 'both ends are inputs: connect an output to an input'
    };
  }
  const [from, fromNode, to, toNode] = da === 'out' ? [a, na, b, nb] : [b, nb, a, na];
  if (from.node === to.node) return { ok: false, reason: `a node cannot connect to itself (${name(fromNode)})` };
  const f = portRef(from);
  const t = portRef(to);
  const existing = edges.filter((e) => e.from === f);
  if (existing.some((e) => e.to === t)) return { ok: false, reason: `${f} is already connected to ${t}` };
  if (existing.length > 0 && !KINDS[fromNode.kind].fanOut) {
    return {
      ok: false,
      reason: `${f} already has an edge (to ${existing[0].to}); only a router sends one output to several nodes`
    };
  }
  void toNode;
  return { ok: true, from: { node: from.node, port: from.port }, to: { node: to.node, port: to.port } };
}

/** Why a node can start no wire at all from `dir`, or null when it has such ports. */
export function noPortsReason(node: NodeInput, dir: PortDir): string | null {
  if (hasPort(node, KINDS[node.kind].ports[dir][0] ?? '', dir)) return null;
  return dir === 'out' ? `a ${KINDS[node.kind].title} has no output port` : `a ${KINDS[node.kind].title} has no input port`;
}

/**
 * Every input port that the output `from` may connect to, with the node order of the
 * document: what the keyboard "Connect…" dialog offers.
 */
export function connectableTargets(doc: ModelDocument, from: PortEnd): PortEnd[] {
  const out: PortEnd[] = [];
  for (const n of doc.nodes) {
    for (const port of KINDS[n.kind].ports.in) {
      const c = checkConnection(doc, { ...from, dir: 'out' }, { node: n.id, port, dir: 'in' });
      if (c.ok) out.push(c.to);
    }
  }
  return out;
}
