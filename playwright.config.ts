/**
 * End-to-end tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against the
 * production build served by `vite preview`. `npm test` builds first; `npx playwright test` on
 * its own expects a fresh `npm run build`.
 *
 * Browser downloads are impossible here (docs/decisions.md), so `npx playwright install` is
 * never needed: the executable path is fixed. CHROMIUM_PATH overrides it elsewhere.
 */
import { defineConfig } from '@playwright/test';

// PW_PORT lets a second checkout run its own preview server beside this one.
const PORT = Number(process.env.PW_PORT ?? 4173);

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    // Saved as PNG under test-results/ for every test, passing or not.
    screenshot: 'on',
    trace: 'retain-on-failure',
    viewport: { width: 1280, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync'
      ]
    }
  },
  projects: [
    {
      name: 'chromium',
      use: { browserName: 'chromium', viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 }
    }
  ],
  webServer: {
    command: `npm run preview -- --port ${PORT} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe'
  }
});
