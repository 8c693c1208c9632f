import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [sveltekit()],
  // Worker entries live in the top-level `workers/` folder (ARCHITECTURE.md).
  server: { fs: { allow: ['workers'] } },
  // One file per worker bundle (no lazy chunks): the service worker's precache list knows a
  // worker only by its entry file, so a chunk the worker imported lazily (the shell worker's
  // parsers) would be missing offline.
  worker: { format: 'es', rolldownOptions: { output: { codeSplitting: false } } },
  test: {
    include: ['src/**/*.test.ts', 'tests/validation/**/*.test.ts', 'tests/unit/**/*.test.ts', 'tests/scenarios/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000
  }
});
