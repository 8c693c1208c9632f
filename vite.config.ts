import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [sveltekit()],
  // Worker entries live in the top-level `workers/` folder (ARCHITECTURE.md).
  server: { fs: { allow: ['workers'] } },
  worker: { format: 'es' },
  test: {
    include: ['src/**/*.test.ts', 'tests/validation/**/*.test.ts', 'tests/unit/**/*.test.ts', 'tests/scenarios/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000
  }
});
