/**
 * Storage errors in words. IndexedDB reports failures as DOMExceptions with terse names; the
 * user needs to know what was not saved, why, and what to do. Never swallowed: every failure
 * of a write reaches the page as one of these sentences.
 */

/** Thrown by db.ts when another tab holds an older version of the database open. */
export class BlockedError extends Error {
  override name = 'BlockedError';
}

function nameOf(e: unknown): string {
  try {
    if (e && typeof e === 'object' && 'name' in e && typeof (e as { name: unknown }).name === 'string') return (e as { name: string }).name;
  } catch {
    /* hostile value */
  }
  return '';
}

function messageOf(e: unknown): string {
  try {
    if (e instanceof Error || (e && typeof e === 'object' && 'message' in e)) return String((e as { message: unknown }).message);
    return String(e);
  } catch {
    return 'unknown error';
  }
}

/**
 * One sentence for the user: `doing` says what failed ("save the model", "save this run",
 * "open the saved models").
 */
export function describeStorageError(e: unknown, doing: string): string {
  const name = nameOf(e);
  const cause = name === 'AbortError' && e && typeof e === 'object' && 'cause' in e ? nameOf((e as { cause: unknown }).cause) : '';
  switch (cause || name) {
    case 'QuotaExceededError':
      return `Could not ${doing}: the browser's storage for this site is full. Delete old runs or models (or export this model as a file) to make room.`;
    case 'VersionError':
      return `Could not ${doing}: the saved data was written by a newer version of Systems Sandbox (open in another tab?). Reload this page to get the newest version.`;
    case 'BlockedError':
      return `Could not ${doing}: another tab is running an older version of Systems Sandbox and holds the storage open. Close or reload the other Systems Sandbox tabs.`;
    case 'InvalidStateError':
    case 'TransactionInactiveError':
      return `Could not ${doing}: the storage was closed (by a newer version in another tab, or by the browser). Reload this page.`;
    case 'SecurityError':
      return `Could not ${doing}: this browser does not allow this site to store data (private mode or site settings). Export your model as a file to keep it.`;
    case 'NotFoundError':
      return `Could not ${doing}: it is no longer there (deleted in another tab?).`;
    case 'DataCloneError':
      return `Could not ${doing}: the data could not be stored (internal error, please report it): ${messageOf(e)}`;
    case 'UnavailableError':
      return `Could not ${doing}: this browser offers no storage here (IndexedDB is unavailable). Export your model as a file to keep it.`;
    default:
      return `Could not ${doing}: the browser's storage failed (${name || 'error'}: ${messageOf(e)}). Export your model as a file to keep it, then reload the page.`;
  }
}
