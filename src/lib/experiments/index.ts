/**
 * Experiments over the engine (PAPERS.md §6, the expensive level): the trigger sweep and the
 * hysteresis ramp. Pure TypeScript, no clock, no DOM; see README.md.
 */
export * from './common';
export * from './triggers';
export * from './hysteresis';
