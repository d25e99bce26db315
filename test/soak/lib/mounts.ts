import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Result of a privileged command: ok, or why not (the sandbox may forbid it). */
export interface Attempt {
  ok: boolean;
  error?: string;
}

function run(cmd: string, args: string[]): Attempt {
  try {
    execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
    return { ok: true };
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    return { ok: false, error: (err.stderr?.toString().trim() || err.message).split('\n')[0] };
  }
}

/** Mounts a tmpfs of sizeBytes on dir (which must exist). Needs CAP_SYS_ADMIN. */
export function mountTmpfs(dir: string, sizeBytes: number): Attempt {
  return run('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0777`, 'tmpfs', dir]);
}

export function remount(dir: string, mode: 'ro' | 'rw'): Attempt {
  return run('mount', ['-o', `remount,${mode}`, dir]);
}

/** Unmounts; lazily when still busy (an fd leaked by a failed open), so no mount outlives the test. */
export function unmount(dir: string): Attempt {
  const r = run('umount', [dir]);
  if (r.ok) return r;
  const lazy = run('umount', ['-l', dir]);
  return lazy.ok ? { ok: true, error: `needed a lazy unmount: ${r.error}` } : lazy;
}

/** Mount points at or under a folder (from /proc/mounts), deepest first. */
export function mountsUnder(prefix: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync('/proc/mounts', 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .map((l) => l.split(' ')[1]?.replace(/\\040/g, ' '))
    .filter((m): m is string => !!m && (m === prefix || m.startsWith(prefix + '/')))
    .sort((a, b) => b.length - a.length);
}

export function chattr(flag: '+i' | '-i', file: string): Attempt {
  return run('chattr', [flag, file]);
}
