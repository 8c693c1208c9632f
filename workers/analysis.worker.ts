/**
 * Worker entry: exposes the analysis service (analysisService.ts) over Comlink. Nothing else
 * belongs here.
 */
import * as Comlink from 'comlink';
import { createAnalysisService } from './analysisService.ts';

Comlink.expose(createAnalysisService());
