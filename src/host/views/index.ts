// Registers the views of the DevStream activity-bar container (package.json
// contributes.views.devstream): each feature registers its own.
import type * as vscode from 'vscode';
import type { App } from '../app';
import { registerMemoryViews } from './memories';
import { registerPlanViews } from './plans';

export const ViewId = {
  plans: 'devstream.plans',
  memories: 'devstream.memories',
  search: 'devstream.search',
} as const;

export function registerViews(app: App): vscode.Disposable[] {
  return [...registerPlanViews(app), ...registerMemoryViews(app)];
}
