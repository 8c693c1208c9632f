/**
 * Worker entry: exposes the simulation service (simService.ts) over Comlink. Nothing else
 * belongs here; the runner (src/lib/runner) is the client.
 */
import * as Comlink from 'comlink';
import { createSimService } from './simService.ts';
import { createExperimentService } from './experimentService.ts';

// One pool of simulation workers serves runs, sweeps and experiments (ExperimentRunner).
Comlink.expose({ ...createSimService(), ...createExperimentService() });
