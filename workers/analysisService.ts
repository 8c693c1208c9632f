/**
 * The analysis service behind workers/analysis.worker.ts: the metastability analysis (drift field,
 * CTMC) and the consensus calculator, off the page's thread. A 50,000-state chain takes seconds,
 * which would freeze the page.
 *
 * Each call is one synchronous computation (the analysis has no slices: it is a few eliminations
 * and products, and a cancel is done by terminating the worker). Typed arrays in a result (the
 * optional stationary vector) are transferred, not copied.
 */
import * as Comlink from 'comlink';
import type { NormalizedModel } from '../src/lib/model/types.ts';
import {
  analyzeMetastability,
  classifyTrigger,
  equilibria,
  fluidModel,
  metastabilityParamsFromModel,
  type MetastabilityOptions,
  type MetastabilityParams,
  type MetastabilityResult,
  type TimeoutModel,
  type Trigger,
  type TriggerClassification
} from '../src/lib/analysis/metastability/index.ts';
import { analyzeReplicas, type AnalyzeReplicasOptions } from '../src/lib/analysis/consensus/index.ts';
import { transferables } from './protocol.ts';

export type ModelMetastabilityResult =
  | { ok: true; nodes: { client: string; queue: string; server: string }; trigger: Trigger | null; notes: string[]; report: MetastabilityResult }
  | { ok: false; notApplicable: string; path: string };

export function createAnalysisService() {
  return {
    /** The full analysis from direct parameters (the UI's inputs). */
    metastability(params: MetastabilityParams, options: MetastabilityOptions = {}): MetastabilityResult {
      const r = analyzeMetastability(params, options);
      return Comlink.transfer(r, transferables(r));
    },

    /** The analysis of a model's client → queue → server loop, with its `rate` fault as the trigger. */
    metastabilityOfModel(model: NormalizedModel, options: MetastabilityOptions & { client?: string } = {}): ModelMetastabilityResult {
      const x = metastabilityParamsFromModel(model, { client: options.client });
      if (!x.ok) return x;
      const report = analyzeMetastability(x.params, { trigger: x.trigger, ...options });
      const r: ModelMetastabilityResult = { ok: true, nodes: x.nodes, trigger: x.trigger, notes: x.notes, report };
      return Comlink.transfer(r, transferables(r));
    },

    /**
     * The sweep's cheap level: classify many triggers against one fluid model (milliseconds each):
     * 'stable' / 'vulnerable' / 'metastable' / 'overloaded'.
     */
    classifyTriggers(params: MetastabilityParams, triggers: Trigger[], timeoutModel: TimeoutModel = 'erlang'): TriggerClassification[] {
      const f = fluidModel(params, timeoutModel);
      const eq = equilibria(f);
      return triggers.map((t) => classifyTrigger(f, eq, t));
    },

    /** P(safe), P(live), P(safe and live) of a `replicas` node's params. */
    consensus(params: unknown, options: AnalyzeReplicasOptions = {}) {
      return analyzeReplicas(params, options);
    }
  };
}

export type AnalysisService = ReturnType<typeof createAnalysisService>;
