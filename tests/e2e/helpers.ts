/** Shared steps of the e2e tests (Playwright, real Chromium, production build). */
import { mkdirSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';

export const SHOTS = 'test-results/screenshots';

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const path = `${SHOTS}/${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Open a path and wait until the page has opened a model (from storage, a link or an example). */
export async function openApp(page: Page, path = '/'): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(path);
  await expect(page.getByTestId('save-status')).toBeVisible();
  return errors;
}

/** Type into an editor field as a person does (each keystroke is an edit). */
export async function typeInto(page: Page, testId: string, text: string): Promise<void> {
  const field = page.getByTestId(testId);
  await field.fill('');
  await field.pressSequentially(text);
}

/** Wait until every edit so far is in IndexedDB. */
export async function flushed(page: Page): Promise<void> {
  await page.evaluate(() => window.__sandbox!.flush());
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
}

/** Every record of a store, read with raw IndexedDB (the test's own view of the database). */
export function readStore(page: Page, store: string): Promise<unknown[]> {
  return page.evaluate(
    (name) =>
      new Promise<unknown[]>((resolve, reject) => {
        const req = indexedDB.open('systems-sandbox');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const get = db.transaction(name).objectStore(name).getAll();
          get.onsuccess = () => {
            db.close();
            resolve(get.result as unknown[]);
          };
          get.onerror = () => reject(get.error);
        };
      }),
    store
  );
}

/** Write a record as it is (for damaged-record tests). */
export function writeRecord(page: Page, store: string, value: unknown): Promise<void> {
  return page.evaluate(
    ({ name, value }) =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('systems-sandbox');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const tx = db.transaction(name, 'readwrite');
          tx.objectStore(name).put(value);
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { name: store, value }
  );
}
