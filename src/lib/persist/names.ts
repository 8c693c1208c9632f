/**
 * The names under which this app keeps data in the browser.
 *
 * WARNING: FROZEN. DB_NAME, every store name, every index name and key path, and CHANNEL_NAME
 * are read by every version of the app that a user has ever opened, possibly at the same time
 * in two tabs. Renaming one orphans the user's saved models and runs (they would still be on
 * disk, but invisible). A change of layout is a new DB_VERSION with a step appended to
 * DB_MIGRATIONS (migrations.ts), never a rename here.
 */

/** WARNING: FROZEN. The IndexedDB database of this origin. */
export const DB_NAME = 'systems-sandbox';

/** WARNING: FROZEN. Object store names (see records.ts for what each holds). */
export const STORE = {
  /** ModelRecord, keyed by `id`. */
  models: 'models',
  /** RunMeta: the small part of a run, listed without loading results. Keyed by `id`. */
  runs: 'runs',
  /** RunData: the model snapshot and the full summary with time series. Keyed by `id`. */
  runData: 'runData'
} as const;

/** WARNING: FROZEN. Index names and their key paths. */
export const INDEX = {
  /** models, by `updatedAt` (most recently saved first when walked backwards). */
  modelsByUpdated: { store: STORE.models, name: 'byUpdated', keyPath: 'updatedAt' },
  /** runs, by `createdAt` (the oldest first: what pruning removes). */
  runsByCreated: { store: STORE.runs, name: 'byCreated', keyPath: 'createdAt' }
} as const;

/** WARNING: FROZEN. BroadcastChannel name shared by every tab of this origin, of any version. */
export const CHANNEL_NAME = 'systems-sandbox/persist';

/** WARNING: FROZEN. sessionStorage key: which model this tab has open (per tab, never shared). */
export const SESSION_KEY = 'systems-sandbox/open';
