/**
 * The registry of node kinds, keyed by the `kind` string (the same key the engine's and the
 * UI's registries use). Adding a kind: write kinds/<kind>.ts and add one line here.
 */
import type { NodeKind } from '../types.ts';
import type { KindDef } from './kind.ts';
import { batcher } from './batcher.ts';
import { cache } from './cache.ts';
import { client } from './client.ts';
import { cores } from './cores.ts';
import { link } from './link.ts';
import { nic } from './nic.ts';
import { queue } from './queue.ts';
import { replicas } from './replicas.ts';
import { router } from './router.ts';
import { server } from './server.ts';
import { sink } from './sink.ts';
import { spawner } from './spawner.ts';

export type { KindDef, ParamsOf, Ports } from './kind.ts';

export const KINDS: { readonly [K in NodeKind]: KindDef<K> } = {
  client,
  link,
  queue,
  server,
  cores,
  nic,
  batcher,
  spawner,
  replicas,
  router,
  cache,
  sink
};

/** The definition of a kind, or undefined for a string that names no kind. */
export function kindDef(kind: string): KindDef | undefined {
  return Object.prototype.hasOwnProperty.call(KINDS, kind) ? (KINDS[kind as NodeKind] as KindDef) : undefined;
}
