import type { Store } from '../db/store';
import type { Embedder } from '../embeddings/types';
import type { SearchFilter, SearchHit } from '../search/types';
import type { ObjectSchema } from './schema';

export interface SearchOptions extends SearchFilter {
  limit: number;
}

/** The search the tools use; injected so keyword or hybrid search can be plugged in. */
export type SearchFn = (query: string, opts: SearchOptions) => Promise<SearchHit[]>;

/** Who is calling: a work_sessions row and the agents row of the client. */
export interface ToolSession {
  /** work_sessions.id: must exist before a tool records context injections. */
  id: string;
  /** agents.id, e.g. 'claude-code' (MCP clientInfo.name) or 'copilot' in VS Code. */
  clientName: string;
  /** How the agent reached DevStream, e.g. 'mcp' or 'vscode'; prefixes memories' `source`. */
  transport?: string;
}

export interface ToolContext {
  store: Store;
  search: SearchFn;
  session: ToolSession;
  /** Embeds memories saved through the tools, so vector search finds them at once; optional. */
  embedder?: Embedder;
  /** Folder that anchors' file paths are relative to; lets store_memory fingerprint the lines. */
  workspaceRoot?: string;
  /** Diagnostics that must not reach the agent (telemetry failures); stderr in the MCP server. */
  log?: (message: string) => void;
  /** Store likely secrets as written instead of redacting them (`devstream mcp --keep-secrets`). */
  keepSecrets?: boolean;
}

/** A transport-neutral result: MCP sends `text` as one text block; VS Code as a LanguageModelTextPart. */
export interface ToolResult {
  isError: boolean;
  /** What the model reads: JSON of `data` on success, a sentence saying what to fix on error. */
  text: string;
  data?: unknown;
}

export interface Confirmation {
  title: string;
  /** Shown before a write runs (VS Code asks the user; MCP clients have their own prompts). */
  message(input: Record<string, unknown>): string;
}

export interface AgentTool {
  name: string;
  title: string;
  /** Written for the model: what the tool does and when to call it. */
  description: string;
  inputSchema: ObjectSchema;
  /** True when the tool only reads (MCP readOnlyHint). */
  readOnly: boolean;
  /** Present exactly for the tools that write. */
  confirmation?: Confirmation;
  /** Gets input already validated against inputSchema. */
  handler(input: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult>;
}

export function ok(data: unknown): ToolResult {
  return { isError: false, text: JSON.stringify(data), data };
}

export function toolError(message: string): ToolResult {
  return { isError: true, text: message };
}
