import { defineConfig } from '@playwright/test';

/**
 * The browser suite: the example portal, started the way the README says
 * (./scripts/start), in Debian's chromium (never a downloaded browser).
 */
export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  testMatch: '**/*.test.ts',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  outputDir: '.test-results/playwright',
  reporter: [
    ['list'],
    ['json', { outputFile: '.test-results/playwright.json' }],
  ],
  globalSetup: './packages/app/e2e-tests/globalSetup.ts',
  webServer: {
    command: './scripts/start',
    url: 'http://localhost:3000',
    timeout: 600_000,
    reuseExistingServer: !process.env.CI,
    stdout: 'ignore',
    stderr: 'pipe',
  },
  use: {
    baseURL: 'http://localhost:3000',
    viewport: { width: 1600, height: 1200 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
