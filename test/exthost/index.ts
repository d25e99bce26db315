// Entry point of the extension-host test suite: the extension host loads this module (its
// compiled out/test/exthost/index.js, CommonJS) as extensionTestsPath and calls run().
// The promise rejects when a test fails; the host turns that into a non-zero exit code.
// Runs the same under code-server (test/exthost/runInCodeServer.ts) and under
// @vscode/test-electron on a desktop (see README.md beside this file).
import fs from 'node:fs';
import path from 'node:path';

export async function run(): Promise<void> {
  // Dynamic import: mocha 12 is an ES module; import() loads it from CommonJS on every Node.
  const { default: Mocha } = await import('mocha');
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 20_000, reporter: 'spec' });
  // EXTHOST_FILES=anchors.test.js,plans.test.js runs only those files (one feature's tests).
  const only = process.env.EXTHOST_FILES?.split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.test.js') && (!only || only.includes(f))) mocha.addFile(path.join(__dirname, f));
  }
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, pending = 0 } = runner.stats ?? {};
      console.log(`exthost: ${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
  });
}
