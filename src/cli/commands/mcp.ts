import { str, type Command } from '../command';
import { cliEmbedder, EMBEDDER_OPTIONS, EMBEDDER_USAGE } from '../embedding';

export const mcpCommands: Command[] = [
  {
    name: 'mcp', usage: `${EMBEDDER_USAGE.replace('auto|builtin|ollama', 'auto|builtin|ollama|none')} [--keep-secrets]`,
    summary: 'Serve the agent tools over MCP on stdio (for Claude Code, VS Code and other MCP clients).',
    options: { ...EMBEDDER_OPTIONS, 'keep-secrets': { type: 'boolean' } },
    async run(ctx, v) {
      // Loaded here so that other commands do not pay for the MCP SDK at startup.
      const { serveStdio } = require('../../mcp/server') as typeof import('../../mcp/server');
      // stdout carries the protocol: everything else goes to stderr (ctx.warn).
      const log = (m: string) => ctx.warn(`devstream mcp: ${m}`);
      let embedder;
      if (str(v, 'embedder') !== 'none') {
        const choice = await cliEmbedder(ctx.store, v, log);
        embedder = choice.embedder;
        log(`embedder: ${embedder.model}${choice.mismatch ? ` (${choice.mismatch} Search is keyword-only until then.)` : ''}`);
      }
      await serveStdio({ store: ctx.store, embedder, workspaceRoot: ctx.workspaceRoot, log, keepSecrets: v['keep-secrets'] === true });
    },
  },
];
