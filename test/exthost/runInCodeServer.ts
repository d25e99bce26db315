// Runs the extension-host suite (index.ts) inside code-server's real extension host, the way
// VS Code's own browser integration tests do: the workbench URL payload carries
// extensionDevelopmentPath + extensionTestsPath, and the workbench reports the exit code of
// run() through window.codeAutomationExit. This script's exit code is that code.
//   node out/test/exthost/runInCodeServer.js      (after: node esbuild.mjs && npx tsc -p .)
import path from 'node:path';
import { Workbench } from '../e2e/harness';

const TIMEOUT_MS = Number(process.env.EXTHOST_TIMEOUT_MS ?? 180_000);

async function main(): Promise<number> {
  const t0 = Date.now();
  let wb: Workbench | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    wb = await Workbench.open({ name: 'exthost', extensionTestsPath: path.join(__dirname, 'index.js') });
    // Workbench and extension-host log lines (mocha's report among them) arrive through
    // window.codeAutomationLog and are printed by the harness.
    const code = await Promise.race([
      wb.testsExit,
      new Promise<'timeout'>((r) => {
        timer = setTimeout(() => r('timeout'), TIMEOUT_MS);
      }),
    ]);
    if (code === 'timeout') {
      await wb.screenshot('timeout').then(
        (f) => console.error('screenshot:', f),
        () => {},
      );
      console.error(`exthost: no result within ${TIMEOUT_MS} ms; code-server log: ${wb.server.logFile}`);
      return 2;
    }
    console.log(`exthost: extension host exit code ${code} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return code;
  } finally {
    clearTimeout(timer);
    await wb?.dispose();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(3);
  },
);
