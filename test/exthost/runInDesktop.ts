// Runs the extension-host suite (index.ts, the same file code-server runs) in desktop VS Code
// through @vscode/test-electron. VSCODE_EXECUTABLE names a VS Code binary to use; without it,
// test-electron downloads one into .vscode-test/, which needs the network: when the download
// host does not answer, this says so in one line and exits 1 instead of waiting.
//   npm run test:desktop
import { runTests } from '@vscode/test-electron';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { USER_SETTINGS } from '../helpers/vscodeSettings';

const REPO_ROOT = path.resolve(__dirname, '../../..'); // out/test/exthost -> repo
const DOWNLOAD_HOST = 'update.code.visualstudio.com';
const PROBE_TIMEOUT_MS = 10_000;

/** Resolves to why the download host cannot be reached, or undefined when it answers. */
function unreachable(host: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = https.request(
      { host, path: '/api/releases/stable', method: 'HEAD', timeout: PROBE_TIMEOUT_MS },
      (res) => {
        res.resume();
        resolve(undefined);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`)));
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    req.end();
  });
}

async function main(): Promise<number> {
  const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE || undefined;
  if (vscodeExecutablePath && !fs.existsSync(vscodeExecutablePath)) {
    console.error(`test:desktop: VSCODE_EXECUTABLE=${vscodeExecutablePath} does not exist.`);
    return 1;
  }
  if (!vscodeExecutablePath) {
    const why = await unreachable(DOWNLOAD_HOST);
    if (why) {
      console.error(
        `test:desktop: cannot download VS Code (${DOWNLOAD_HOST}: ${why}); set VSCODE_EXECUTABLE to a VS Code binary, or use npm test (code-server).`,
      );
      return 1;
    }
  }
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devstream-desktop-'));
  const workspace = path.join(runDir, 'workspace');
  const userDataDir = path.join(runDir, 'user-data');
  fs.mkdirSync(workspace, { recursive: true });
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  try {
    return await runTests({
      vscodeExecutablePath,
      cachePath: path.join(REPO_ROOT, '.vscode-test'),
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(__dirname, 'index.js'),
      launchArgs: [workspace, '--user-data-dir', userDataDir, '--disable-extensions', '--disable-workspace-trust'],
      timeout: 30_000, // a download that stops sending data fails instead of hanging
    });
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`test:desktop: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
