import * as vscode from 'vscode';
import type { App } from '../app';
import { buildHtml, webviewOptions } from '../webview/html';
import { STATISTICS_CSS, statisticsBody } from './statisticsPage';

/**
 * DevStream: Show Statistics. One panel, redrawn from the database when it changes (this
 * window's writes or another process's). The page runs no script: charts are SVG drawn here.
 */
export class StatisticsPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly app: App) {
    this.subscription = app.stores.onDidChange(() => {
      if (this.panel?.visible) this.render();
    });
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      this.render();
      return;
    }
    this.panel = vscode.window.createWebviewPanel(
      'devstream.statistics',
      'DevStream Statistics',
      vscode.ViewColumn.Active,
      { ...webviewOptions(this.app.context.extensionUri), enableScripts: false },
    );
    this.panel.iconPath = vscode.Uri.joinPath(this.app.context.extensionUri, 'media', 'devstream.svg');
    this.panel.onDidDispose(() => (this.panel = undefined));
    this.panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.visible) this.render();
    });
    this.render();
  }

  private render(): void {
    if (!this.panel) return;
    const stats = this.app.stores.ds.statistics();
    this.panel.webview.html = buildHtml(this.panel.webview, this.app.context.extensionUri, {
      title: 'DevStream Statistics',
      inlineStyle: STATISTICS_CSS,
      body: statisticsBody(stats),
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.panel?.dispose();
  }
}
