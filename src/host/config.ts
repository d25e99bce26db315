import * as vscode from 'vscode';

/** Typed access to the `devstream.*` settings declared in package.json. */
export interface DevStreamConfig {
  databasePath: string;
  embedder: 'auto' | 'builtin' | 'ollama';
  ollamaUrl: string;
  ollamaModel: string;
  rrfK: number;
  /** Only when the user set them: otherwise search uses the embedding model's tuned weights. */
  keywordWeight?: number;
  vectorWeight?: number;
  resultCount: number;
  decorations: boolean;
}

export function readConfig(scope?: vscode.ConfigurationScope): DevStreamConfig {
  const c = vscode.workspace.getConfiguration('devstream', scope);
  return {
    databasePath: c.get<string>('databasePath', ''),
    embedder: c.get<DevStreamConfig['embedder']>('embedder', 'auto'),
    ollamaUrl: c.get<string>('ollama.url', 'http://127.0.0.1:11434'),
    ollamaModel: c.get<string>('ollama.model', 'nomic-embed-text'),
    rrfK: c.get<number>('search.rrfK', 60),
    keywordWeight: explicit<number>(c, 'search.keywordWeight'),
    vectorWeight: explicit<number>(c, 'search.vectorWeight'),
    resultCount: c.get<number>('search.resultCount', 20),
    decorations: c.get<boolean>('decorations.enabled', true),
  };
}

/** A setting's value only if set somewhere (folder, workspace, user), ignoring its declared default. */
function explicit<T>(c: vscode.WorkspaceConfiguration, key: string): T | undefined {
  const i = c.inspect<T>(key);
  return i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
}
