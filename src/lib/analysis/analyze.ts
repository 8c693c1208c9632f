/**
 * `analyze(model)`: find every node (and the whole network) whose shape fits a closed form and
 * give the analytic values in the same meaning as the simulator's `NodeSummary` fields.
 *
 * Per node kind (as the simulator reports them):
 *  - queue: inSystem = Lq, response = wait = Wq, throughput = departures/s;
 *  - server: inSystem = mean number in service, response = mean time in service,
 *    wait = Wq in the queue in front, utilisation = busy fraction per server,
 *    station = { L, W } of server + queue, pBlock;
 *  - sink: throughput = completions/s, response = end-to-end mean since creation (for closed
 *    clients: since sending), wait = total time in queues, byClass, and percentiles when every
 *    request crossed one FIFO M/M/c (or GI/M/1) station;
 *  - link (infinite bandwidth, no loss): an infinite-server delay, response = mean latency;
 *  - client: throughput = requests sent per second.
 * A node is left out unless every assumption of its formula holds. An overloaded station
 * (ρ ≥ 1) is reported with `stable: false`, a note, and no means.
 *
 * Pure: no DOM, no clock, no randomness. The report is plain data (structured-cloneable).
 */

import type { NormalizedModel } from '../model/types';
import { analyzeClosed } from './closedNetwork';
import { analyzeOpen } from './openNetwork';
import { buildTopology } from './topology';
import { NETWORK_KEY, type AnalyticNode, type AnalyticReport } from './types';

export function analyze(model: NormalizedModel): AnalyticReport {
  const topo = buildTopology(model);
  const faultUnits = new Set<number>();
  for (const f of model.faults) {
    const u = topo.unitOf.get(f.target);
    if (u !== undefined) faultUnits.add(u);
  }
  const open = analyzeOpen(topo, faultUnits);
  const closed = analyzeClosed(topo, faultUnits);
  const nodes: Record<string, AnalyticNode> = {};
  for (const r of [...open.reports, ...closed.reports]) nodes[r.nodeId] = r;
  const network = open.network ?? closed.network;
  if (network && !topo.unitOf.has(NETWORK_KEY)) nodes[NETWORK_KEY] = { ...network, nodeId: NETWORK_KEY };
  return { nodes };
}
