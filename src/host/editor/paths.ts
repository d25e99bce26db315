import fs from 'node:fs';
import path from 'node:path';
import type * as vscode from 'vscode';
import type { DevStream } from '../../core/devstream';
import type { App } from '../app';

/** A file's path relative to the workspace folder of the database, forward slashes; undefined outside it. */
export function workspaceRelative(app: App, uri: vscode.Uri): string | undefined {
  const folder = app.stores.location?.folder;
  if (!folder || uri.scheme !== 'file') return undefined;
  const rel = path.relative(folder.fsPath, uri.fsPath);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/** The DevStream if it is open or its file exists: passive features never create a database. */
export function existingStore(app: App): DevStream | undefined {
  if (app.stores.isOpen) return app.stores.tryOpen();
  const loc = app.stores.location;
  return loc && fs.existsSync(loc.dbPath) ? app.stores.tryOpen() : undefined;
}
