/**
 * What every node kind declares, in one file per kind (kinds/<kind>.ts): the schema of its
 * params as written, their defaults, its ports, which faults may target it, and how validated
 * params become the normalised params the engine reads.
 *
 * Adding a kind: write kinds/<kind>.ts exporting a `KindDef`, add it to the registry in
 * kinds/index.ts (and the kind name to NODE_KINDS in types.ts). Nothing else switches on kinds.
 */
import type * as v from 'valibot';
import type { FaultAction, NodeKind, NormalizedNode } from '../types.ts';

export interface Ports {
  /** Input port names, in display order. */
  readonly in: readonly string[];
  /** Output port names, in display order. */
  readonly out: readonly string[];
}

/** The normalised params type of a kind. */
export type ParamsOf<K extends NodeKind> = NormalizedNode extends infer N
  ? N extends { kind: infer NK; params: infer P }
    ? K extends NK
      ? P
      : never
    : never
  : never;

export interface KindDef<K extends NodeKind = NodeKind> {
  readonly kind: K;
  /** A human name for messages and the palette: "queue", "load balancer"... */
  readonly title: string;
  /** The params as written: a loose object (unknown fields kept). */
  readonly params: v.GenericSchema<Record<string, unknown>>;
  /**
   * The documented defaults (docs/model-format.md), in normalised form. Frozen: never mutate;
   * `normalize` builds fresh objects.
   */
  readonly defaults: Readonly<ParamsOf<K>>;
  readonly ports: Ports;
  /** Fault actions that may target a node of this kind. */
  readonly faults: readonly FaultAction[];
  /** May one output port carry several edges? Only a router's may (MODEL.md §2). */
  readonly fanOut: boolean;
  /** Validated params (or undefined when omitted) → normalised params with defaults filled. */
  normalize(params: Record<string, unknown> | undefined): ParamsOf<K>;
}

/**
 * Declare a kind with its params schema typed precisely; the registry sees the erased form.
 */
export function defineKind<K extends NodeKind, S extends v.GenericSchema<Record<string, unknown>>>(def: {
  kind: K;
  title: string;
  params: S;
  defaults: ParamsOf<K>;
  ports: Ports;
  faults: readonly FaultAction[];
  fanOut?: boolean;
  normalize(params: v.InferOutput<S>): ParamsOf<K>;
}): KindDef<K> {
  return {
    ...def,
    fanOut: def.fanOut ?? false,
    defaults: deepFreeze(def.defaults) as Readonly<ParamsOf<K>>,
    normalize: (params) => def.normalize((params ?? {}) as v.InferOutput<S>)
  };
}

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const value of Object.values(x)) deepFreeze(value);
  }
  return x;
}

/** A fresh copy of a default value (defaults are frozen and shared). */
export function fresh<T>(x: T): T {
  return structuredClone(x);
}
