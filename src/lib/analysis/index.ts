/**
 * The analysis layer: closed-form queueing results to show beside simulated ones.
 * See README.md in this folder.
 */

export * from './types';
export * from './moments';
export { solveLinear, bisect, invertTail, percentilesOf } from './numeric';
export * from './mmc';
export * from './loss';
export * from './mmck';
export * from './infinite';
export * from './mg1';
export * from './priority';
export * from './gim1';
export * from './jackson';
export * from './mva';
export { analyze } from './analyze';
export * from './consensus/index';
