#!/usr/bin/env node
/* eslint-disable no-console */
// Prints the totals of jest's --json output and of the Playwright JSON report
// as the plain closing line "N passed, N failed, N skipped" that CI reads.
//
//   print-test-summary.js --jest <file> [--playwright <file>] [--other-failures N]
//
// A report that is asked for and missing counts as one failure.
const fs = require('node:fs');
const { parseArgs } = require('node:util');

const { values } = parseArgs({
  options: {
    jest: { type: 'string' },
    playwright: { type: 'string' },
    'other-failures': { type: 'string', default: '0' },
  },
});

const totals = {
  passed: 0,
  failed: Number(values['other-failures']),
  skipped: 0,
};
let ok = totals.failed === 0;

function read(name, file) {
  if (!file) return undefined;
  if (!fs.existsSync(file)) {
    console.error(`${name} wrote no results to ${file}`);
    totals.failed += 1;
    ok = false;
    return undefined;
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

const jest = read('jest', values.jest);
if (jest) {
  const failedSuites =
    jest.numFailedTestSuites + jest.numRuntimeErrorTestSuites;
  console.log(
    `Test suites: ${jest.numPassedTestSuites} passed, ${failedSuites} failed, ${jest.numTotalTestSuites} total`,
  );
  totals.passed += jest.numPassedTests;
  totals.failed += jest.numFailedTests + failedSuites;
  totals.skipped += jest.numPendingTests + jest.numTodoTests;
  ok = ok && jest.success && jest.numTotalTests > 0;
}

const playwright = read('playwright', values.playwright);
if (playwright) {
  const { expected, unexpected, flaky, skipped } = playwright.stats;
  // A setup failure (the portal never came up) leaves errors and no tests.
  const setupErrors = playwright.errors?.length ?? 0;
  console.log(
    `Browser tests: ${expected} passed, ${
      unexpected + flaky
    } failed, ${skipped} skipped` +
      (setupErrors ? ` (${setupErrors} setup errors)` : ''),
  );
  totals.passed += expected;
  totals.failed += unexpected + flaky + setupErrors;
  totals.skipped += skipped;
  ok = ok && unexpected + flaky + setupErrors === 0 && expected > 0;
}

console.log(
  `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`,
);
process.exit(ok ? 0 : 1);
