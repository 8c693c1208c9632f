import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // The app is a static site: no server of ours. Every route is prerendered;
    // the SPA fallback serves deep links.
    adapter: adapter({ fallback: '404.html', strict: true }),
    alias: { $workers: 'workers' }
  }
};

export default config;
