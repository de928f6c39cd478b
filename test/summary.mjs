// Prints the closing line CI reads ("N passed, N failed") from vitest's JSON report. When the
// type-check or lint failed before vitest ran, that failure is counted so the line never says 0 failed.
import { existsSync, readFileSync } from 'node:fs';

const [file, status] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
if (file && existsSync(file)) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = (report.numFailedTests ?? 0) + (report.testResults ?? []).filter((r) => r.status === 'failed' && !(r.assertionResults ?? []).length).length;
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
if (status !== undefined && status !== '0' && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
