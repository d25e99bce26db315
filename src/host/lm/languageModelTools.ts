import * as vscode from 'vscode';
import {
  AGENT_TOOLS,
  endWorkSession,
  hybridSearchFn,
  startWorkSession,
  withOutageMemory,
  type AgentTool,
  type ToolContext,
  type ToolSession,
} from '../../core/agents';
import { embedderForStore } from '../../core/embeddings';
import type { Embedder } from '../../core/embeddings/types';
import type { App } from '../app';

/**
 * The agent tools (src/core/agents: one definition, shared with the MCP server) as VS Code
 * Language Model tools, for Copilot agent mode. Writes and deletes ask for confirmation (the
 * message says what will change); a failed call is thrown, so the model sees a tool error, never
 * text that looks like success. Calls are recorded in one work session for this window's agent
 * (started on the first call).
 */
export class LanguageModelTools implements vscode.Disposable {
  private session?: ToolSession;
  private embedder?: Promise<Embedder | undefined>;
  private readonly registrations: vscode.Disposable[];

  constructor(private readonly app: App) {
    this.registrations = AGENT_TOOLS.map((tool) => vscode.lm.registerTool(tool.name, this.toLanguageModelTool(tool)));
  }

  /** The tool as registered (tests call it directly where invokeTool needs a chat session). */
  toLanguageModelTool(tool: AgentTool): vscode.LanguageModelTool<Record<string, unknown>> {
    return {
      prepareInvocation: (options) => ({
        invocationMessage: `DevStream: ${tool.title}`,
        confirmationMessages: tool.confirmation
          ? {
              title: tool.confirmation.title,
              message: new vscode.MarkdownString(tool.confirmation.message(options.input ?? {})),
            }
          : undefined,
      }),
      invoke: async (options) => {
        // reports its writes
        const result = await this.app.stores.ds.runTool(tool.name, options.input, await this.context());
        if (result.isError) throw new Error(result.text);
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(result.text)]);
      },
    };
  }

  private async context(): Promise<ToolContext> {
    const store = this.app.stores.store;
    this.session ??= startWorkSession(store, {
      name: 'vscode-copilot',
      title: 'VS Code language model',
      role: 'vscode-lm-client',
      transport: 'vscode',
    });
    // A stopped Ollama costs one timeout a minute, not one per call.
    this.embedder ??= embedderForStore(store).then(
      (c) => withOutageMemory(c.embedder),
      (e: Error) => {
        this.app.output.warn(`Agent search runs on keywords only: ${e.message}`);
        return undefined;
      },
    );
    const embedder = await this.embedder;
    return {
      store,
      search: hybridSearchFn(store, embedder),
      session: this.session,
      embedder,
      workspaceRoot: this.app.stores.location?.folder.fsPath,
      log: (m) => this.app.output.info(m),
    };
  }

  dispose(): void {
    for (const r of this.registrations) r.dispose();
    if (this.session && this.app.stores.isOpen) endWorkSession(this.app.stores.store, this.session.id);
  }
}
