import type { EmbedderPreference } from '../../mcp/embedder';
import { str, type Command } from '../command';

export const mcpCommands: Command[] = [
  {
    name: 'mcp', usage: '[--embedder builtin|ollama|auto|none]',
    summary: 'Serve the agent tools over MCP on stdio (for Claude Code, VS Code and other MCP clients).',
    options: { embedder: { type: 'string' } },
    async run(ctx, v) {
      // Loaded here so that other commands do not pay for the MCP SDK at startup.
      const { serveStdio } = require('../../mcp/server') as typeof import('../../mcp/server');
      const { chooseEmbedder } = require('../../mcp/embedder') as typeof import('../../mcp/embedder');
      // stdout carries the protocol: everything else goes to stderr (ctx.warn).
      const log = (m: string) => ctx.warn(`devstream mcp: ${m}`);
      const embedder = await chooseEmbedder(ctx.store, str(v, 'embedder') as EmbedderPreference | undefined, log);
      await serveStdio({ store: ctx.store, embedder, workspaceRoot: ctx.workspaceRoot, log });
    },
  },
];
