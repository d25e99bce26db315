// The ONLY place that builds webview HTML: the CSP, the nonce and the resource roots live here.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** Webview options every DevStream webview uses: scripts on, resources only from dist/ and media/. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export interface PageSpec {
  title: string;
  /** Paths under the extension folder (dist/…); a page may have no script at all. */
  script?: string;
  styles?: string[];
  /** CSS written into the page (nonce'd <style>), e.g. for a page generated on the host. */
  inlineStyle?: string;
  /** The body's HTML. The CALLER escapes every untrusted value in it. Default: <div id="app">. */
  body?: string;
}

/**
 * A page with a strict CSP: nothing by default; scripts and styles only from the extension's
 * own files, and only those carrying this page's nonce (128 random bits, new per render).
 * No 'unsafe-inline' for styles: @vscode-elements/elements styles its shadow roots with
 * constructable stylesheets (adoptedStyleSheets), which CSP does not govern, and sets dynamic
 * styles through the CSSOM (its stylePropertyMap directive), never through style attributes.
 */
export function buildHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: PageSpec): string {
  const nonce = randomBytes(16).toString('base64');
  const src = (p: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p.split('/'))).toString();
  const csp = [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  const head = [
    ...(page.styles ?? []).map((s) => `<link rel="stylesheet" nonce="${nonce}" href="${src(s)}">`),
    ...(page.inlineStyle
      ? [`<style nonce="${nonce}">${page.inlineStyle.replace(/<\/style/gi, '<\\/style')}</style>`]
      : []),
  ].join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${head}
    <title>${escapeHtml(page.title)}</title>
  </head>
  <body>
    ${page.body ?? '<div id="app"></div>'}
    ${page.script ? `<script nonce="${nonce}" src="${src(page.script)}"></script>` : ''}
  </body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
