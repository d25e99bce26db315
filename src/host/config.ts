import * as vscode from 'vscode';

/** Typed access to the `devstream.*` settings declared in package.json. */
export interface DevStreamConfig {
  databasePath: string;
  embedder: 'auto' | 'builtin' | 'ollama';
  ollamaUrl: string;
  ollamaModel: string;
  rrfK: number;
  keywordWeight: number;
  vectorWeight: number;
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
    keywordWeight: c.get<number>('search.keywordWeight', 1),
    vectorWeight: c.get<number>('search.vectorWeight', 1),
    resultCount: c.get<number>('search.resultCount', 20),
    decorations: c.get<boolean>('decorations.enabled', true),
  };
}
