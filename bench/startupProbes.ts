// Helpers of the startup benchmark: an empty extension as the baseline, log lines with their
// timestamps from a code-server run's logs, and a process's resident memory.
import fs from 'node:fs';
import path from 'node:path';

/** An extension that does nothing but time its own activation, as extension.ts does. */
export function baselineExtension(dir: string): string {
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({
      name: 'baseline',
      publisher: 'bench',
      version: '0.0.1',
      engines: { vscode: '^1.101.0' },
      main: './extension.js',
      activationEvents: ['workspaceContains:.devstream'],
    }),
  );
  fs.writeFileSync(
    path.join(dir, 'extension.js'),
    `const loadedAt = performance.now();
const vscode = require('vscode');
exports.activate = () => {
  const started = performance.now();
  const out = vscode.window.createOutputChannel('Baseline', { log: true });
  const ms = (x) => x.toFixed(1);
  const done = performance.now();
  out.info('baseline activated in ' + ms(done - started) + ' ms (code loaded in ' + ms(started - loadedAt) + ' ms)');
};`,
  );
  return dir;
}

export interface LogLine {
  match: RegExpMatchArray;
  /** epoch ms of the line's timestamp */ at: number;
}

function logFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.log')) out.push(p);
    }
  };
  const logs = path.join(dir, 'user-data', 'logs');
  if (fs.existsSync(logs)) walk(logs);
  return out;
}

/** The first line matching `re` in the run's logs ("2026-12-02 17:20:01.123 [info] …"), if any. */
export function findLogLine(runDir: string, re: RegExp): LogLine | undefined {
  for (const file of logFiles(runDir)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const m = line.match(re);
      const ts = line.match(/^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})/);
      if (m && ts) return { match: m, at: new Date(`${ts[1]}T${ts[2]}`).getTime() };
    }
  }
  return undefined;
}

export async function waitForLogLine(runDir: string, re: RegExp, timeoutMs: number): Promise<LogLine> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = findLogLine(runDir, re);
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`no log line ${re} in ${runDir} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Rss {
  rss: number;
  anon: number;
  file: number;
}

/** Resident memory of a process in bytes: total, anonymous (heap, index) and file-backed (code, mmap). */
export function processRss(pid: number): Rss {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') + kb('RssShmem') };
}
