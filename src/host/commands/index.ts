// The command table: every command id appears once here (through each feature's table) and
// maps to a handler that gets the App. To add a command: a handler in this folder, a row in
// its feature's table, an entry in package.json contributes.commands (an extension-host test
// checks the two lists agree).
import * as vscode from 'vscode';
import { isDevStreamError } from '../../core/errors';
import type { App } from '../app';
import { automationCommands } from './automations';
import { showInfo } from './info';
import { memoryCommands } from './memories';
import { planCommands } from './plans';
import { teamBankCommands } from './teamBank';

export type CommandHandler = (app: App, ...args: unknown[]) => unknown;

export const commandTable = {
  'devstream.showInfo': showInfo,
  ...planCommands,
  ...memoryCommands,
  ...automationCommands,
  ...teamBankCommands,
} satisfies Record<string, CommandHandler>;

export type CommandId = keyof typeof commandTable;

export function registerCommands(app: App): vscode.Disposable[] {
  return (Object.entries(commandTable) as [CommandId, CommandHandler][]).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(app, ...args);
      } catch (e) {
        // A rule or input problem is the user's to fix: say it plainly. Anything else is ours: log it too.
        if (!isDevStreamError(e)) app.output.error(`${id} failed: ${(e as Error).stack ?? String(e)}`);
        void vscode.window.showErrorMessage(`DevStream: ${(e as Error).message ?? String(e)}`);
        return undefined;
      }
    }),
  );
}
