import { spawn, type SpawnOptions } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** out/ of this build: the compiled CLI and workers live beside the compiled tests. */
export const OUT_DIR = path.resolve(__dirname, '../../..');
export const CLI_BIN = path.join(OUT_DIR, 'src/cli/main.js');
export const WORKERS_DIR = path.join(OUT_DIR, 'test/soak/workers');

/** A fresh folder under the OS temp dir (the caller removes it). */
export function makeTempDir(prefix = 'devstream-soak-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function sha256(data: Buffer | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

export function fileSha(file: string): string {
  return sha256(fs.readFileSync(file));
}

/** Files SQLite or DevStream put beside a database (journal, WAL, backups, moved-aside copies). */
export function sideFiles(file: string): string[] {
  const dir = path.dirname(file);
  const base = path.basename(file);
  return fs
    .readdirSync(dir)
    .filter((f) => f !== base && f.startsWith(base))
    .sort();
}

export interface ProcResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  ms: number;
  timedOut: boolean;
}

export interface RunOptions {
  cwd?: string;
  input?: string | Buffer;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
}

/** The environment every CLI child gets: the built-in embedder (no probe of a real Ollama), no debug stacks. */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DEVSTREAM_EMBEDDER: 'builtin', ...extra };
  delete env.DEVSTREAM_DEBUG;
  delete env.DEVSTREAM_OLLAMA_URL;
  delete env.NODE_OPTIONS;
  return env;
}

/** Runs a node script in a child process; a hard timeout kills it (SIGKILL) and says so. */
export function runNode(script: string, args: string[], opts: RunOptions = {}): Promise<ProcResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const spawnOpts: SpawnOptions = { cwd: opts.cwd, env: opts.env ?? cliEnv(), stdio: ['pipe', 'pipe', 'pipe'] };
    if (opts.uid !== undefined) spawnOpts.uid = opts.uid;
    if (opts.gid !== undefined) spawnOpts.gid = opts.gid;
    const child = spawn(process.execPath, [script, ...args], spawnOpts);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => err.push(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 60_000);
    child.on('error', (e) => err.push(Buffer.from(String(e))));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        out: Buffer.concat(out).toString('utf8'),
        err: Buffer.concat(err).toString('utf8'),
        ms: performance.now() - started,
        timedOut,
      });
    });
    child.stdin!.on('error', () => undefined); // the child may exit before reading its input
    child.stdin!.end(opts.input ?? '');
  });
}

/** `devstream <args>` from this build, in a child process. */
export function runCli(args: string[], opts: RunOptions = {}): Promise<ProcResult> {
  return runNode(CLI_BIN, args, { timeoutMs: 60_000, ...opts });
}

/** A Node stack trace ("    at fn (file:1:2)") anywhere in the text. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+(:\d+:\d+\)?|\(native\)|\(<anonymous>\))$/m.test(text) || /node:internal\//.test(text);
}

export function sleep(msDelay: number): Promise<void> {
  return new Promise((r) => setTimeout(r, msDelay));
}

/** First line of a text, cut to max characters (for messages in the report). */
export function firstLine(text: string, max = 160): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > max ? line.slice(0, max - 1) + '…' : line;
}
