// The command table: every command id appears once here and maps to a handler that gets the
// App. To add a command: a handler in this folder, a row here, an entry in package.json
// contributes.commands (an extension-host test checks the two lists agree).
import * as vscode from 'vscode';
import type { App } from '../app';
import { showInfo } from './info';
import { createPlan } from './plans';

export type CommandHandler = (app: App, ...args: unknown[]) => unknown;

export const commandTable = {
  'devstream.showInfo': showInfo,
  'devstream.createPlan': createPlan,
} satisfies Record<string, CommandHandler>;

export type CommandId = keyof typeof commandTable;

export function registerCommands(app: App): vscode.Disposable[] {
  return (Object.entries(commandTable) as [CommandId, CommandHandler][]).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => handler(app, ...args)),
  );
}
