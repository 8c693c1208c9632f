/**
 * Checks that need the whole (schema-valid) document: unique ids, edge ends that name an
 * existing node and a port its kind has, fan-out only from routers, fault targets that exist
 * and accept the action.
 */
import { kindDef } from './kinds/index.ts';
import type { FaultAction, ModelDocument, ModelIssue, NodeKind, PortRef } from './types.ts';
import { KINDS } from './kinds/index.ts';

/** "q.out" → { node: "q", port: "out" }; null when not of that shape. */
export function parsePortRef(ref: string): PortRef | null {
  const dot = ref.indexOf('.');
  if (dot <= 0 || dot !== ref.lastIndexOf('.') || dot === ref.length - 1) return null;
  return { node: ref.slice(0, dot), port: ref.slice(dot + 1) };
}

function quoteList(xs: readonly string[]): string {
  return xs.length ? xs.map((x) => `"${x}"`).join(', ') : 'none';
}

/** Which kinds accept a fault action, for messages: "a server or cores node". */
function kindsFor(action: FaultAction): string {
  const ks = (Object.keys(KINDS) as NodeKind[]).filter((k) => KINDS[k].faults.includes(action));
  if (ks.length === 0) return 'no node';
  const names = ks.map((k) => KINDS[k].title);
  return `a ${names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0]} node`;
}

export function checkGraph(doc: ModelDocument): ModelIssue[] {
  const issues: ModelIssue[] = [];
  const nodes = new Map<string, { index: number; kind: NodeKind }>();

  doc.nodes.forEach((node, i) => {
    const first = nodes.get(node.id);
    if (first) {
      issues.push({ path: `nodes[${i}].id`, message: `duplicate node id "${node.id}" (also nodes[${first.index}])` });
    } else nodes.set(node.id, { index: i, kind: node.kind });
  });

  const edgeIds = new Map<string, number>();
  const usedOutputs = new Map<string, number>();
  doc.edges.forEach((edge, i) => {
    const first = edgeIds.get(edge.id);
    if (first !== undefined) {
      issues.push({ path: `edges[${i}].id`, message: `duplicate edge id "${edge.id}" (also edges[${first}])` });
    } else edgeIds.set(edge.id, i);

    for (const end of ['from', 'to'] as const) {
      const path = `edges[${i}].${end}`;
      const ref = parsePortRef(edge[end]);
      if (!ref) {
        issues.push({ path, message: `expected "nodeId.port" like "q.out", got "${edge[end]}"` });
        continue;
      }
      const node = nodes.get(ref.node);
      if (!node) {
        issues.push({ path, message: `no node "${ref.node}" in this model (edge "${edge.id}" ${end === 'from' ? 'leaves' : 'enters'} it)` });
        continue;
      }
      const def = kindDef(node.kind);
      if (!def) continue; // cannot happen after the schema; kept for safety
      const ports = end === 'from' ? def.ports.out : def.ports.in;
      if (!ports.includes(ref.port)) {
        const dir = end === 'from' ? 'output' : 'input';
        issues.push({
          path,
          message: `node "${ref.node}" (${def.title}) has no ${dir} port "${ref.port}"; its ${dir} ports: ${quoteList(ports)}`
        });
        continue;
      }
      if (end === 'from' && !def.fanOut) {
        const key = `${ref.node}.${ref.port}`;
        const firstUse = usedOutputs.get(key);
        if (firstUse !== undefined) {
          issues.push({
            path,
            message: `"${key}" already has an edge (edges[${firstUse}]); only a router may send one output port to several edges`
          });
        } else usedOutputs.set(key, i);
      }
    }
  });

  (doc.faults ?? []).forEach((fault, i) => {
    const node = nodes.get(fault.target);
    if (!node) {
      issues.push({ path: `faults[${i}].target`, message: `no node "${fault.target}" in this model` });
      return;
    }
    const def = kindDef(node.kind);
    if (def && !def.faults.includes(fault.action)) {
      issues.push({
        path: `faults[${i}].action`,
        message: `a "${fault.action}" fault needs ${kindsFor(fault.action)}; "${fault.target}" is a ${def.title}`
      });
    }
  });

  return issues;
}
