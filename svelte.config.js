import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // The app is a static site: no server of ours. Every route is prerendered;
    // the SPA fallback serves deep links.
    adapter: adapter({ fallback: '404.html', strict: true }),
    alias: { $workers: 'workers' },
    // src/service-worker.ts is registered by the page (src/lib/workspace/pwa.svelte.ts), which
    // watches it for updates and lets the user choose when a new version takes over.
    serviceWorker: { register: false }
  }
};

export default config;
