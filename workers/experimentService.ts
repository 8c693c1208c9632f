/**
 * The experiment service: one job of a simulated experiment (src/lib/experiments) — one
 * replication of one trigger-sweep point, or one whole hysteresis ramp — in a worker.
 *
 * Exposed beside the simulation service by sim.worker.ts (one pool of simulation workers serves
 * runs, sweeps and experiments) and by the CLI's Node worker (src/cli/experimentWorker.ts).
 * Each job is a pure function of its arguments (the model's seed and the replication index give
 * every draw), so which worker runs it never changes the numbers. A job is one synchronous
 * computation (tens of milliseconds to seconds); the runner cancels by terminating the worker.
 */
import {
  runHysteresisReplication,
  runTriggerReplication,
  type HysteresisPlan,
  type HysteresisReplication,
  type TriggerPlan,
  type TriggerReplication
} from '../src/lib/experiments/index.ts';

export function createExperimentService() {
  return {
    /** Replication `replication` of point `point` (an index into `plan.points`) of a trigger sweep. */
    triggerReplication(plan: TriggerPlan, point: number, replication: number): TriggerReplication {
      const p = plan.points[point];
      if (!p) throw new RangeError(`triggerReplication: the plan has no point ${point}`);
      return runTriggerReplication(plan, p, replication);
    },

    /** Replication `replication` of a hysteresis ramp (a whole ramp: history cannot be split). */
    hysteresisReplication(plan: HysteresisPlan, replication: number): HysteresisReplication {
      return runHysteresisReplication(plan, replication);
    }
  };
}

export type ExperimentService = ReturnType<typeof createExperimentService>;
