import { AGENT_TOOLS } from './tools';

/**
 * The tools as VS Code `contributes.languageModelTools` entries, so package.json can be
 * generated from (and checked against) the same definitions the MCP server serves.
 */
export function languageModelToolContributions(): Record<string, unknown>[] {
  return AGENT_TOOLS.map((t) => ({
    name: t.name,
    displayName: t.title,
    toolReferenceName: t.name.replace(/^devstream_/, '').replace(/_(\w)/g, (_m, c: string) => c.toUpperCase()),
    canBeReferencedInPrompt: true,
    modelDescription: t.description,
    userDescription: t.title,
    tags: ['devstream'],
    inputSchema: t.inputSchema,
  }));
}
