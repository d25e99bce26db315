import { spawn } from 'node:child_process';
import { CLI_MAIN, type CliResult, type RunOptions } from './cli';

/**
 * Runs the built CLI without blocking this process, so a server in this process (a fake
 * Ollama) can answer it. Same environment rules as runCli.
 */
export function runCliAsync(cwd: string, args: string[], opts: RunOptions = {}): Promise<CliResult> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: undefined,
    FORCE_COLOR: undefined,
    COLUMNS: undefined,
  };
  Object.assign(env, opts.env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err, json: () => JSON.parse(out) });
    });
    child.stdin.end(opts.input ?? '');
  });
}
