import * as vscode from 'vscode';
import { PROTOCOL_LIMITS, type SearchFilters } from '../../shared/protocol';
import type { App } from '../app';
import type { SearchSummary } from '../webview/searchViewProvider';

/**
 * Focuses the Search view, prefilled with the editor's selection. Automation may pass
 * { query, filters? }: the query is also run exactly as the view runs it (same worker, same
 * settings) and the results the view would show are returned.
 */
export async function searchMemories(app: App, arg?: unknown): Promise<SearchSummary | undefined> {
  const input =
    arg && typeof arg === 'object' && !(arg instanceof vscode.Uri)
      ? (arg as { query?: unknown; filters?: SearchFilters })
      : {};
  const query = typeof input.query === 'string' ? input.query : selectionQuery();
  await vscode.commands.executeCommand('devstream.search.focus');
  if (query !== undefined) app.search.view.setQuery(query);
  if (typeof input.query === 'string') return app.search.view.run(input.query, input.filters ?? {});
  return undefined;
}

/** The selection as a one-line query (whitespace collapsed, cut to the protocol's limit). */
function selectionQuery(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) return undefined;
  const text = editor.document.getText(editor.selection).replace(/\s+/g, ' ').trim();
  return text ? text.slice(0, PROTOCOL_LIMITS.query) : undefined;
}
