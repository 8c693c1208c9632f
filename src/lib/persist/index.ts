/**
 * Persistence: saved models, run history, autosave and tab sync over IndexedDB (idb), plus the
 * downloads. No Svelte here (ARCHITECTURE.md, principle 11): the page's rune adapters live in
 * src/lib/workspace/. See README.md in this folder.
 */
export { DB_NAME, STORE, INDEX, CHANNEL_NAME, SESSION_KEY } from './names.ts';
export { DB_VERSION, DB_MIGRATIONS, migrationsBetween, applyMigrations, type SchemaOps, type DbMigration } from './migrations.ts';
export * from './records.ts';
export { planPrune, DEFAULT_RUN_LIMITS, type RunLimits, type PrunePlan, type PruneCandidate } from './prune.ts';
export { Autosaver, AUTOSAVE_INTERVAL, realScheduler, type Scheduler, type SaveStatus, type AutosaveOptions } from './autosave.ts';
export {
  TabSync,
  parseSyncMessage,
  decideOnSaved,
  decideWrite,
  CONFLICT_ORIGIN,
  type SyncMessage,
  type LocalCopy,
  type OnSaved,
  type WriteDecision,
  type ChannelLike
} from './tabsync.ts';
export { describeStorageError, BlockedError } from './errors.ts';
export { resultsReport, resultsJson, resultsCsv, fileNameFor, CSV_HEADER } from './export.ts';
export { sha256Hex } from './hash.ts';
export { openPersist, PersistDb, type OpenEvents, type Damaged, type SaveOutcome } from './db.ts';
