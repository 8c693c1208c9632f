/**
 * The service worker seen from the page: register it, tell when the app is ready offline, and
 * when a new version is waiting. A new version never takes over by itself (the worker does not
 * call skipWaiting on install): the page shows "Update available" and only on the user's
 * "Reload" asks the waiting worker to take over, then reloads once it has.
 *
 * Registration is done here rather than by SvelteKit (kit.serviceWorker.register = false) so
 * the page holds the registration and can watch it from the start.
 */
import { base } from '$app/paths';
import { dev } from '$app/environment';

export class AppUpdate {
  /** A new version is installed and waiting for the user's consent. */
  available = $state(false);
  /** A service worker controls the page: it will load without the network. */
  offlineReady = $state(false);
  /** Registration failed (shown as a quiet note: the app still works online). */
  error = $state<string | null>(null);

  #reg: ServiceWorkerRegistration | null = null;
  #reloading = false;
  #timer: ReturnType<typeof setInterval> | undefined;

  async start(): Promise<void> {
    // Not under `vite dev`: a cache-first shell would hide edits to app.html from developers,
    // and the dev server has no precache list. Offline is tested against the production build.
    if (dev || !('serviceWorker' in navigator)) return;
    const sw = navigator.serviceWorker;
    sw.addEventListener('controllerchange', () => {
      this.offlineReady = true;
      // Only the update the user asked for reloads the page; the first install does not.
      if (this.#reloading) location.reload();
    });
    try {
      this.#reg = await sw.register(`${base}/service-worker.js`, { type: 'classic' });
    } catch (e) {
      this.error = `Offline use is not available: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    const reg = this.#reg;
    const check = () => {
      // A waiting worker while another controls the page is an update (not the first install).
      if (reg.waiting && sw.controller) this.available = true;
      if (sw.controller) this.offlineReady = true;
    };
    const watch = (w: ServiceWorker | null) => w?.addEventListener('statechange', check);
    check();
    watch(reg.installing);
    reg.addEventListener('updatefound', () => watch(reg.installing));
    void sw.ready.then(() => {
      if (sw.controller) this.offlineReady = true;
    });
    // Look for a new version now and then, and when the tab comes back.
    const look = () => void reg.update().catch(() => undefined);
    this.#timer = setInterval(look, 60 * 60 * 1000);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') look();
    });
  }

  /** Ask the service worker to look for a new version now. */
  async check(): Promise<void> {
    await this.#reg?.update();
  }

  /** The user said yes: let the waiting version take over, then reload (controllerchange). */
  apply(): void {
    const waiting = this.#reg?.waiting;
    if (!waiting) {
      location.reload();
      return;
    }
    this.#reloading = true;
    waiting.postMessage({ type: 'skip-waiting' });
  }

  dispose(): void {
    clearInterval(this.#timer);
  }
}
