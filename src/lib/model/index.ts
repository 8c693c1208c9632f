/**
 * The document layer's public API. Pure TypeScript: no DOM, no Svelte; runs in the browser, in
 * workers and in Node (tsx).
 */
export * from './types.ts';
export { restore, validate, normalize, load, MAX_TEXT_LENGTH } from './restore.ts';
export { migrate, checkMigrations, MIGRATIONS, FIRST_VERSION, type Migration, type MigrateOptions } from './migrations.ts';
export {
  parseQuantity,
  parseDuration,
  parseRate,
  parseSize,
  parseBandwidth,
  formatQuantity,
  formatDuration,
  formatRate,
  formatSize,
  formatBandwidth,
  formatNumber,
  describeValue,
  unitExample,
  UNIT_PATTERNS,
  type Parsed,
  type UnitKind,
  type FormatOptions
} from './units.ts';
export { DurationDist, SizeDist, normalizeDist, DIST_NAMES, type DistUnit } from './dist.ts';
export { scaleLoad, scaleLoadDoc, scaleDist } from './scaleLoad.ts';
export { KINDS, kindDef, type KindDef, type ParamsOf, type Ports } from './kinds/index.ts';
export { DocumentSchema, NodeSchema, EdgeSchema, FaultSchema, RunSchema, MAX_REPLICATIONS } from './document.ts';
export { checkGraph, parsePortRef } from './graph.ts';
export { RUN_DEFAULTS, MAX_BUCKETS, effectiveBucket, niceCeil } from './normalize.ts';
export { formatIssue, formatPath } from './issues.ts';
export { buildJsonSchema, serializeJsonSchema, JSON_SCHEMA_FILE } from './jsonSchema.ts';
