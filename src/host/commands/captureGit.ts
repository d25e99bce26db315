import { execFile } from 'node:child_process';
import path from 'node:path';
import * as vscode from 'vscode';

const GIT_TIMEOUT_MS = 1500;
const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** The part of the built-in git extension's API we read (extensions/git/src/api/git.d.ts). */
interface GitApi {
  getRepository(uri: vscode.Uri): { state: { HEAD?: { commit?: string } } } | null;
}

/**
 * The commit checked out for a file, if any: from the built-in git extension when it is
 * running, else `git rev-parse HEAD` with a short timeout. Never throws: a save must not fail
 * (or wait long) because of git.
 */
export async function headCommit(file: vscode.Uri): Promise<string | undefined> {
  try {
    const ext = vscode.extensions.getExtension<{ getAPI(v: 1): GitApi }>('vscode.git');
    if (ext?.isActive) {
      const commit = ext.exports.getAPI(1).getRepository(file)?.state.HEAD?.commit;
      if (commit && SHA.test(commit)) return commit;
    }
  } catch {
    // the git extension is disabled or failed to activate: ask git itself
  }
  if (file.scheme !== 'file') return undefined;
  return new Promise((resolve) => {
    execFile(
      'git',
      ['rev-parse', 'HEAD'],
      { cwd: path.dirname(file.fsPath), timeout: GIT_TIMEOUT_MS, windowsHide: true },
      (err, stdout) => {
        const sha = String(stdout ?? '').trim();
        resolve(!err && SHA.test(sha) ? sha : undefined);
      },
    );
  });
}
