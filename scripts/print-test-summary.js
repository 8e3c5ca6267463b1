#!/usr/bin/env node
/* eslint-disable no-console */
// Prints jest's totals from its --json output as the plain closing line
// "N passed, N failed, N skipped" that CI reads.
const fs = require('node:fs');

const [file, otherFailuresText = '0'] = process.argv.slice(2);
const otherFailures = Number(otherFailuresText);
if (!file || !fs.existsSync(file)) {
  console.error(`jest wrote no results to ${file}`);
  console.log(`0 passed, ${1 + otherFailures} failed`);
  process.exit(1);
}
const results = JSON.parse(fs.readFileSync(file, 'utf8'));
const failedSuites =
  results.numFailedTestSuites + results.numRuntimeErrorTestSuites;
console.log(
  `Test suites: ${results.numPassedTestSuites} passed, ${failedSuites} failed, ${results.numTotalTestSuites} total`,
);
console.log(
  `${results.numPassedTests} passed, ${
    results.numFailedTests + failedSuites + otherFailures
  } failed, ${results.numPendingTests + results.numTodoTests} skipped`,
);
process.exit(results.success && results.numTotalTests > 0 ? 0 : 1);
