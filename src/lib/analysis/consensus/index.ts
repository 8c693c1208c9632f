/**
 * Probabilistic consensus: P(safe), P(live) and P(safe and live) of Raft and PBFT groups whose
 * nodes fail with given probabilities. See README.md in this folder.
 */
export * from './predicates';
export * from './faults';
export * from './probability';
export * from './format';
export * from './replicas';
