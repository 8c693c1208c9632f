/** The metastability analysis (PAPERS.md §6): public API. */
export * from './params';
export * from './timeout';
export * from './drift';
export * from './sparse';
export * from './ctmc';
export * from './stationary';
export * from './hitting';
export * from './mixing';
export * from './analyze';
