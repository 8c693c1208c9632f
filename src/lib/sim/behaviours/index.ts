/**
 * The behaviour registry: `kind` → how to build that node's behaviour. Adding a kind means one
 * new file in this folder and one entry here. Kinds whose behaviour has not landed yet are
 * listed in NOT_YET_SIMULATED with a message the user sees.
 */
import type { NormalizedNode, NodeKind } from '../../model/types';
import type { CacheParams } from '../../model/kinds/cache';
import type { NodeStats } from '../nodeStats';
import type { Rng } from '../rng';
import type { Behaviour, SimContext } from './behaviour';
import { BatcherBehaviour } from './batcher';
import { CacheBehaviour } from './cache';
import { ReplicasBehaviour, type ReplicasRuntimeParams } from './replicas';
import { ClientBehaviour } from './client';
import { CoresBehaviour } from './cores';
import { NicBehaviour } from './nic';
import { LinkBehaviour } from './link';
import { QueueBehaviour } from './queue';
import { RouterBehaviour } from './router';
import { ServerBehaviour } from './server';
import { SinkBehaviour } from './sink';
import { SpawnerBehaviour } from './spawner';

/** What a factory may need to know about the whole model. */
export interface CompileInfo {
  /** Global class index → class name and priority (all clients' classes, in node order). */
  classNames: string[];
  classPriorities: number[];
  /** Global class index → the `service` (process name) its requests ask for. */
  classServices: string[];
  /** Global index of each client's first class, by node index. */
  classBase: Map<number, number>;
}

type Factory = (
  node: NormalizedNode,
  index: number,
  stats: NodeStats,
  rng: Rng,
  sim: SimContext,
  info: CompileInfo
) => Behaviour;

export const BEHAVIOURS: Partial<Record<NodeKind, Factory>> = {
  client(node, index, stats, rng, sim, info) {
    const b = new ClientBehaviour(index, node.id, node.kind, stats, rng, sim);
    if (node.kind !== 'client') throw new Error('kind mismatch');
    b.configure(node.params, info.classBase.get(index) ?? 0);
    return b;
  },
  link(node, index, stats, rng, sim) {
    const b = new LinkBehaviour(index, node.id, node.kind, stats, rng, sim);
    if (node.kind !== 'link') throw new Error('kind mismatch');
    b.configure(node.params);
    return b;
  },
  queue(node, index, stats, rng, sim, info) {
    const b = new QueueBehaviour(index, node.id, node.kind, stats, rng, sim);
    if (node.kind !== 'queue') throw new Error('kind mismatch');
    b.configure(node.params, info.classPriorities);
    return b;
  },
  server(node, index, stats, rng, sim, info) {
    const b = new ServerBehaviour(index, node.id, node.kind, stats, rng, sim);
    if (node.kind !== 'server') throw new Error('kind mismatch');
    b.configure(node.params, info.classNames);
    return b;
  },
  router(node, index, stats, rng, sim) {
    const b = new RouterBehaviour(index, node.id, node.kind, stats, rng, sim);
    if (node.kind !== 'router') throw new Error('kind mismatch');
    b.configure(node.params);
    return b;
  },
  cores(node, index, stats, rng, sim, info) {
    const b = new CoresBehaviour(index, node.id, node.kind, stats, rng, sim);
    if (node.kind !== 'cores') throw new Error('kind mismatch');
    b.configure(node.params, info.classServices);
    return b;
  },
  nic(node, index, stats, rng, sim) {
    const b = new NicBehaviour(index, node.id, node.kind, stats, rng, sim);
    if (node.kind !== 'nic') throw new Error('kind mismatch');
    b.configure(node.params);
    return b;
  },
  batcher(node, index, stats, rng, sim) {
    const b = new BatcherBehaviour(index, node.id, node.kind, stats, rng, sim);
    if (node.kind !== 'batcher') throw new Error('kind mismatch');
    b.configure(node.params);
    return b;
  },
  spawner(node, index, stats, rng, sim) {
    const b = new SpawnerBehaviour(index, node.id, node.kind, stats, rng, sim);
    if (node.kind !== 'spawner') throw new Error('kind mismatch');
    b.configure(node.params);
    return b;
  },
  cache(node, index, stats, rng, sim) {
    const b = new CacheBehaviour(index, node.id, node.kind, stats, rng, sim);
    if (node.kind !== 'cache') throw new Error('kind mismatch');
    b.configure(node.params as CacheParams);
    return b;
  },
  replicas(node, index, stats, rng, sim) {
    const b = new ReplicasBehaviour(index, node.id, node.kind, stats, rng, sim);
    if (node.kind !== 'replicas') throw new Error('kind mismatch');
    b.configure(node.params as unknown as ReplicasRuntimeParams);
    return b;
  },
  sink(node, index, stats, rng, sim, info) {
    const b = new SinkBehaviour(index, node.id, node.kind, stats, rng, sim);
    stats.enableSinkSeries(info.classNames.length);
    return b;
  }
};

export const NOT_YET_SIMULATED: Partial<Record<NodeKind, string>> = {};
