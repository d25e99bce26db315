import * as vscode from 'vscode';
import type { App } from '../app';

export const MCP_PROVIDER_ID = 'devstream.mcp';

/**
 * Offers the DevStream MCP server to VS Code's MCP clients. It runs on the extension host's
 * own runtime (Electron as Node), so the one better-sqlite3 binary shipped in the VSIX serves
 * both, and it opens the same workspace database.
 */
export function registerMcpServerProvider(app: App): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.McpServerDefinitionProvider = {
    onDidChangeMcpServerDefinitions: changed.event,
    provideMcpServerDefinitions: () => {
      const loc = app.stores.location;
      if (!loc) return [];
      const cli = app.context.asAbsolutePath('dist/cli.js');
      return [
        new vscode.McpStdioServerDefinition(
          'DevStream',
          process.execPath,
          [cli, '--db', loc.dbPath, 'mcp'],
          { ELECTRON_RUN_AS_NODE: '1' },
          app.context.extension.packageJSON.version as string,
        ),
      ];
    },
  };
  return vscode.Disposable.from(
    changed,
    vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, provider),
    vscode.workspace.onDidChangeWorkspaceFolders(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('devstream.databasePath')) changed.fire();
    }),
  );
}
