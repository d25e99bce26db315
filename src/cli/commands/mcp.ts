import type { CommandSpec } from '../command';
import { cliEmbedder, embedderFlag, embedderOptions, EMBEDDERS_OR_NONE } from '../embedding';

export const mcpCommands: CommandSpec[] = [
  {
    // An agent in a new workspace stores memories and tasks: the server may create the database.
    name: 'mcp',
    creates: true,
    summary: 'Serve the agent tools over MCP on stdio (for Claude Code, VS Code and other MCP clients).',
    options: [
      ...embedderOptions(EMBEDDERS_OR_NONE).map((o) =>
        o.flags.startsWith('--embedder') ? { ...o, description: `${o.description}; none: keyword search only` } : o,
      ),
      { flags: '--keep-secrets', description: 'store likely secrets as written (default: redact them)' },
    ],
    async run(ctx, v) {
      // Loaded here so that other commands do not pay for the MCP SDK at startup.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose
      const { serveStdio } = require('../../mcp/server') as typeof import('../../mcp/server');
      // stdout carries the protocol: everything else goes to stderr (ctx.warn).
      const log = (m: string) => ctx.warn(`devstream mcp: ${m}`);
      let embedder;
      if (embedderFlag(v, EMBEDDERS_OR_NONE) !== 'none') {
        const choice = await cliEmbedder(ctx.store, v, { warn: log, verbose: ctx.verbose });
        embedder = choice.embedder;
        log(
          `embedder: ${embedder.model}${choice.mismatch ? ` (${choice.mismatch} Search is keyword-only until then.)` : ''}`,
        );
      }
      const stopBank = ctx.followBankWrites(); // the agents' shared memories reach the team bank
      try {
        const keepSecrets = v.keepSecrets === true;
        await serveStdio({ store: ctx.store, embedder, workspaceRoot: ctx.workspaceRoot, log, keepSecrets });
      } finally {
        stopBank();
      }
    },
  },
];
