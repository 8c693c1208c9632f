/**
 * The engine's public face. Everything here is pure and clock-free: callers that want
 * events per second time `advance` themselves (the CLI, the bench, the worker adapter).
 */
import type { NormalizedModel } from '../model/types';
import { Replication, type ReplicationResult } from './engine';
import { summarize } from './summary';
import type { SimSummary } from './results';

export { Replication, checkSimulable, SimulationError, AUTO_WARMUP_FRACTIONS } from './engine';
export type { ReplicationResult, NodeResult, HistogramData, MeasuredWindow } from './engine';
export { summarize } from './summary';
export type * from './results';

/** Run one replication to the end (in slices of `slice` events, which must not change the numbers). */
export function runReplication(model: NormalizedModel, replication: number, slice = Infinity): ReplicationResult {
  const rep = new Replication(model, replication);
  while (!rep.advance(slice));
  return rep.finish();
}

/** Run every replication of the model in this thread and merge them. */
export function simulate(
  model: NormalizedModel,
  opts: { replications?: number; slice?: number } = {}
): { summary: SimSummary; replications: ReplicationResult[] } {
  const R = opts.replications ?? model.run.replications;
  const reps: ReplicationResult[] = [];
  for (let i = 0; i < R; i++) reps.push(runReplication(model, i, opts.slice));
  return { summary: summarize(model, reps), replications: reps };
}
