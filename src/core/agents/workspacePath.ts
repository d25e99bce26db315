import fs from 'node:fs';
import path from 'node:path';
import { DevStreamError } from '../errors';

export interface WorkspaceFile {
  /** Workspace-relative, forward slashes: how anchors store it. */
  relative: string;
  /** The real file, when it exists (symlinks resolved). */
  real?: string;
}

/**
 * Where an agent's `file` points, refused unless it stays inside the workspace: `..` and
 * absolute paths elsewhere by their text, symlinks by their real path, and anything that is not
 * a regular file (directories, devices, FIFOs) by its type. Only metadata is looked at, so a
 * refused path is never read. A file that does not exist (yet, or any more) inside the workspace
 * is allowed: memories can be about deleted files.
 */
export function resolveWorkspaceFile(root: string, file: string): WorkspaceFile {
  if (file.includes('\0')) throw refused(file, 'it contains a NUL character');
  const realRoot = realOrSelf(path.resolve(root));
  const abs = path.resolve(root, file);
  const relative = path.relative(path.resolve(root), abs);
  if (isOutside(relative)) throw refused(file, 'it is outside the workspace folder');

  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch {
    // Missing: its nearest existing folder must still be inside (a symlinked folder could lead out).
    const parent = nearestExisting(path.dirname(abs));
    if (isOutside(path.relative(realRoot, parent)))
      throw refused(file, 'a symbolic link leads it outside the workspace folder');
    return { relative: toPosix(relative) };
  }
  if (isOutside(path.relative(realRoot, real)))
    throw refused(file, 'a symbolic link leads it outside the workspace folder');
  const stat = fs.statSync(real);
  if (stat.isDirectory()) throw refused(file, 'it is a folder; give a file in it');
  if (!stat.isFile()) throw refused(file, 'it is not a regular file (a device, socket or pipe)');
  return { relative: toPosix(relative), real };
}

function isOutside(relative: string): boolean {
  return relative === '..' || relative.startsWith('..' + path.sep) || path.isAbsolute(relative);
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

function nearestExisting(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      return fs.realpathSync(d);
    } catch {
      if (path.dirname(d) === d) return d;
    }
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function refused(file: string, why: string): DevStreamError {
  return new DevStreamError(
    `'file' ${JSON.stringify(file)} is refused: ${why}. Give a path relative to the workspace folder.`,
    'invalid',
  );
}
