import { spawnSync } from 'node:child_process';
import path from 'node:path';

// The compiled entry point of this build (bin/devstream.js prefers a bundled dist/ that may be stale).
export const CLI_MAIN = path.resolve(__dirname, '../../src/cli/main.js');

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
  /** stdout parsed as JSON (the tests check its shape). */
  json: () => any;
}

export interface RunOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
}

/** Runs the built CLI in `cwd`; colour and terminal width come only from `env`. */
export function runCli(cwd: string, args: string[], opts: RunOptions = {}): CliResult {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined };
  env.COLUMNS = undefined;
  Object.assign(env, opts.env);
  const spawnOpts = { cwd, input: opts.input, encoding: 'utf8' as const, timeout: 30_000, env };
  const r = spawnSync(process.execPath, [CLI_MAIN, ...args], spawnOpts);
  return { code: r.status, out: r.stdout, err: r.stderr, json: () => JSON.parse(r.stdout) };
}
