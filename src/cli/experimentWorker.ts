/**
 * A CLI experiment thread: the same experiment service as the page's workers
 * (workers/experimentService.ts), exposed over Comlink on the thread's parentPort.
 */
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { createExperimentService } from '../../workers/experimentService.ts';
import { nodeEndpoint } from './nodeWorker.ts';

if (!parentPort) throw new Error('experimentWorker.ts runs in a worker thread');
Comlink.expose(createExperimentService(), nodeEndpoint(parentPort));
