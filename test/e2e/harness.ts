// Drives the extension in a real VS Code workbench: code-server (installed by
// scripts/setup-vscode-test.sh) serves the workbench and runs the extension host on Node,
// playwright-core drives Debian's Chromium (no browser download).
//
// The extension is loaded from the repository as a development extension through the
// workbench URL payload (no VSIX, no install step): build dist/ first (node esbuild.mjs).
// Every run gets fresh user-data, extensions and workspace folders under test-results/<name>/
// (kept afterwards for the logs); screenshots go to test-results/<name>.png.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { after, before } from 'node:test';
import util from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { USER_SETTINGS } from '../helpers/vscodeSettings';

export const REPO_ROOT = path.resolve(__dirname, '../../..'); // out/test/e2e -> repo
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');
export const EXTENSION_ID = 'devstream.devstream';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CODE_SERVER =
  process.env.CODE_SERVER ??
  path.join(REPO_ROOT, '.vscode-test/code-server/node_modules/code-server/out/node/entry.js');

/** Default UI wait; each helper takes its own override. */
export const UI_TIMEOUT_MS = 15_000;

// ------------------------------------------------------------------ process hygiene
// code-server runs in its own process group; kill every group still alive when this process
// ends, even through a signal or an uncaught error, so nothing is left listening.
const liveGroups = new Set<number>();
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}
process.on('exit', () => {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
    process.exit(130);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode < 400);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ code-server
export interface CodeServer {
  url: string;
  port: number;
  pid: number;
  logFile: string;
  /** vscode-remote:// URI of a path on the server (for the workbench payload). */
  remoteUri(p: string): string;
  stop(): Promise<void>;
}

export async function startCodeServer(opts: {
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
  timeoutMs?: number;
}): Promise<CodeServer> {
  if (!fs.existsSync(CODE_SERVER)) {
    throw new Error(`code-server not found at ${CODE_SERVER}: run scripts/setup-vscode-test.sh`);
  }
  const port = await freePort();
  fs.mkdirSync(path.join(opts.userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(opts.extensionsDir, { recursive: true });
  fs.writeFileSync(path.join(opts.userDataDir, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const args = [
    CODE_SERVER,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--user-data-dir',
    opts.userDataDir,
    '--extensions-dir',
    opts.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    opts.workspace,
  ];
  const logFd = fs.openSync(opts.logFile, 'w');
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.PASSWORD;
  delete env.VSCODE_PROXY_URI;
  // detached: its own process group, so stop() ends code-server and all its children.
  const proc: ChildProcess = spawn(process.execPath, args, { detached: true, stdio: ['ignore', logFd, logFd], env });
  fs.closeSync(logFd);
  const pid = proc.pid!;
  liveGroups.add(pid);
  let exited: string | undefined;
  proc.on('exit', (code, sig) => {
    exited = `code ${code} signal ${sig}`;
  });

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!exited) {
      killGroup(pid, 'SIGTERM');
      for (let i = 0; i < 50 && !exited; i++) await sleep(100);
    }
    killGroup(pid, 'SIGKILL'); // stragglers in the group (extension host, file watcher)
    liveGroups.delete(pid);
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (!(await httpOk(`${url}/healthz`))) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`code-server ${exited ? `exited (${exited})` : 'did not answer /healthz'}; see ${opts.logFile}`);
    }
    await sleep(100);
  }
  return { url, port, pid, logFile: opts.logFile, stop, remoteUri: (p) => `vscode-remote://127.0.0.1:${port}${p}` };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    // The machine has no outside network: keep Chromium from trying.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

// ------------------------------------------------------------------ workbench session
export interface OpenOptions {
  /** Names the run folder test-results/<name>/ and the screenshots. */
  name: string;
  /** Folder of the extension under development (default: the repository; null: none). */
  extensionDevelopmentPath?: string | null;
  /** A VSIX to install into the fresh extensions folder first (as a user would). */
  installVsix?: string;
  /** Module exporting run(): the workbench runs it in the extension host and reports the exit code. */
  extensionTestsPath?: string;
  /** Files to create in the fresh workspace: relative path -> contents. */
  files?: Record<string, string>;
  /** Wait for the activity-bar item whose aria-label starts with this (skip with ''). */
  activityLabel?: string;
  timeoutMs?: number;
}

/**
 * One workbench for the enclosing describe: opened before its tests (then `prepare` runs:
 * seeding, listeners), closed after them. Returns the accessor the tests use.
 */
export function workbenchForSuite(
  opts: OpenOptions,
  prepare?: (wb: Workbench) => void | Promise<void>,
): () => Workbench {
  let wb: Workbench | undefined;
  before(
    async () => {
      wb = await Workbench.open(opts);
      await prepare?.(wb);
    },
    { timeout: 120_000 },
  );
  after(() => wb?.close(), { timeout: 30_000 });
  return () => {
    if (!wb) throw new Error('the workbench did not open');
    return wb;
  };
}

export class Workbench {
  private constructor(
    readonly page: Page,
    readonly browser: Browser,
    readonly server: CodeServer,
    readonly runDir: string,
    readonly workspace: string,
    readonly name: string,
    /** Resolves with the extension-host exit code when extensionTestsPath was given. */
    readonly testsExit: Promise<number>,
  ) {}

  /** Starts code-server and Chromium and opens the workbench with the extension loaded. */
  static async open(opts: OpenOptions): Promise<Workbench> {
    const timeout = opts.timeoutMs ?? 60_000;
    const runDir = path.join(RESULTS_DIR, opts.name);
    fs.rmSync(runDir, { recursive: true, force: true });
    const workspace = path.join(runDir, 'workspace');
    fs.mkdirSync(workspace, { recursive: true });
    for (const [rel, text] of Object.entries(opts.files ?? {})) {
      fs.mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true });
      fs.writeFileSync(path.join(workspace, rel), text);
    }
    if (opts.installVsix) {
      execFileSync(
        process.execPath,
        [
          CODE_SERVER,
          '--extensions-dir',
          path.join(runDir, 'extensions'),
          '--user-data-dir',
          path.join(runDir, 'user-data'),
          '--install-extension',
          opts.installVsix,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 },
      );
    }
    const server = await startCodeServer({
      workspace,
      userDataDir: path.join(runDir, 'user-data'),
      extensionsDir: path.join(runDir, 'extensions'),
      logFile: path.join(runDir, 'code-server.log'),
    });
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser();
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(UI_TIMEOUT_MS);
      const testsExit = opts.extensionTestsPath ? (await exposeAutomation(page)).exit : Promise.resolve(0);

      const payload: [string, string][] = [['skipWelcome', 'true']];
      if (opts.extensionDevelopmentPath !== null)
        payload.push(['extensionDevelopmentPath', server.remoteUri(opts.extensionDevelopmentPath ?? REPO_ROOT)]);
      if (opts.extensionTestsPath) payload.push(['extensionTestsPath', server.remoteUri(opts.extensionTestsPath)]);
      const url =
        `${server.url}/?folder=${encodeURIComponent(workspace)}` +
        `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      await page.goto(url, { waitUntil: 'domcontentloaded', timeout });
      const wb = new Workbench(page, browser, server, runDir, workspace, opts.name, testsExit);
      if (!opts.extensionTestsPath) await wb.waitReady(opts.activityLabel ?? 'DevStream', timeout);
      return wb;
    } catch (e) {
      await browser?.close().catch(() => {});
      await server.stop();
      throw e;
    }
  }

  /** Workbench rendered and the extension's contributions registered. */
  async waitReady(activityLabel: string, timeout = 60_000): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout });
    await this.page.locator('.part.statusbar').waitFor({ state: 'visible', timeout });
    if (activityLabel) await this.activityItem(activityLabel).waitFor({ state: 'visible', timeout });
  }

  activityItem(label: string) {
    return this.page.locator(`.part.activitybar .action-label[aria-label^="${label}"]`);
  }

  /** The view container contributed under contributes.viewsContainers (id as in package.json). */
  container(containerId: string) {
    return this.page.locator(`[id="workbench.view.extension.${containerId}"]`);
  }

  /** Clicks the activity-bar item and waits for its side bar container. */
  async openContainer(label: string, containerId: string): Promise<void> {
    const container = this.container(containerId);
    if (!(await container.isVisible())) await this.activityItem(label).click();
    await container.waitFor({ state: 'visible' });
  }

  /** A view pane of a container, found by its header title (the view "name"). */
  viewPane(containerId: string, viewName: string) {
    return this.container(containerId).locator('.pane', {
      has: this.page.locator('.pane-header h3.title', { hasText: viewName }),
    });
  }

  /**
   * Waits until the extension has registered the data provider of a tree view. Until then the
   * workbench shows "There is no data provider registered that can provide view data." in a
   * `.message` element; registering the provider hides it (class `hide`). Waiting for the text
   * to be hidden is not enough: it passes before the message is first rendered.
   */
  async waitForTreeProvider(containerId: string, viewName: string, timeout = UI_TIMEOUT_MS): Promise<void> {
    await this.viewPane(containerId, viewName)
      .locator('.tree-explorer-viewlet-tree-view > .message.hide')
      .waitFor({ state: 'attached', timeout });
  }

  /** Runs a command by its palette title ("Category: Title") through F1. */
  async runCommand(title: string, timeout = UI_TIMEOUT_MS): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await this.page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout });
    await input.fill('>' + title);
    await this.page
      .locator('.quick-input-widget .monaco-list-row', { hasText: title })
      .first()
      .waitFor({ state: 'visible', timeout });
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout });
  }

  /** Waits for a notification toast containing text; returns its full message. */
  async waitForNotification(text: string, timeout = UI_TIMEOUT_MS): Promise<string> {
    const toast = this.page.locator('.notifications-toasts .notification-list-item-message', { hasText: text }).first();
    await toast.waitFor({ state: 'visible', timeout });
    return ((await toast.textContent()) ?? '').trim();
  }

  /** Labels of the rendered rows of every tree view in a container. */
  async treeRows(containerId: string): Promise<string[]> {
    const rows = this.container(containerId).locator('.customview-tree .monaco-list-row .label-name');
    return (await rows.allTextContents()).map((s) => s.trim());
  }

  /** Saves test-results/<run name>-<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    const file = path.join(RESULTS_DIR, `${this.name}-${name}.png`);
    await this.page.screenshot({ path: file, timeout: UI_TIMEOUT_MS, animations: 'disabled' });
    return file;
  }

  /** The end of a UI test file: a last screenshot (for failures), then dispose(). */
  async close(): Promise<void> {
    await this.screenshot('final').catch(() => {});
    await this.dispose();
  }

  /** Closes the browser and stops code-server; safe to call twice. */
  async dispose(): Promise<void> {
    await this.browser.close().catch(() => {});
    await this.server.stop();
  }
}

/**
 * The hooks the workbench calls when it runs extension tests (as in VS Code's own browser
 * integration tests): codeAutomationLog(type, args) for log lines, codeAutomationExit(code)
 * when the extension host's run() settles. Must be exposed before the page loads.
 */
async function exposeAutomation(page: Page): Promise<{ exit: Promise<number> }> {
  let resolveExit!: (code: number) => void;
  const exit = new Promise<number>((r) => {
    resolveExit = r;
  });
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
    const line = util.format(...(Array.isArray(args) ? args : [args])); // printf-style, as sent
    if (type === 'error') console.error(line);
    else console.log(line);
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
  return { exit }; // wrapped: returning the promise itself would make the caller await the exit
}
