import type { Store } from '../db/store';
import type { Embedder } from '../embeddings/types';
import type { SearchFilter, SearchHit } from '../search/types';
import type { z } from 'zod';
import { inputJsonSchema, outputJsonSchema, type JsonObjectSchema, type ToolInput } from './toolSchema';

export interface SearchOptions extends SearchFilter {
  limit: number;
}

/**
 * What a search found, and whether vectors took part: 'used', or 'unavailable: <why>' when the
 * answer rests on keywords alone (no embedder, Ollama down, another model's index).
 */
export interface SearchOutcome {
  hits: SearchHit[];
  vectors: string;
}

/** The search the tools use; injected so keyword or hybrid search can be plugged in. */
export type SearchFn = (query: string, opts: SearchOptions) => Promise<SearchOutcome>;

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
  /** Validates the input; its JSON Schema is `inputSchema`. */
  input: ToolInput;
  inputSchema: JsonObjectSchema;
  /** The shape of a successful result's `data` (MCP structuredContent); its JSON Schema is `outputSchema`. */
  output: z.ZodObject;
  outputSchema: JsonObjectSchema;
  /** True when the tool writes nothing at all (MCP readOnlyHint). */
  readOnly: boolean;
  /** True when it removes or retires data (MCP destructiveHint); VS Code asks first. */
  destructive?: boolean;
  /** True when calling it twice with the same input changes nothing more (MCP idempotentHint). */
  idempotent?: boolean;
  /** Present exactly for the tools that write. */
  confirmation?: Confirmation;
  /** Gets input already validated (and defaulted) by `input`. */
  handler(input: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult>;
}

export function ok(data: unknown): ToolResult {
  return { isError: false, text: JSON.stringify(data), data };
}

export function toolError(message: string): ToolResult {
  return { isError: true, text: message };
}

export type ToolSpec = Omit<AgentTool, 'inputSchema' | 'outputSchema'>;

/** A tool with the JSON Schemas of its zod input and output. */
export function defineTool(spec: ToolSpec): AgentTool {
  return { ...spec, inputSchema: inputJsonSchema(spec.input), outputSchema: outputJsonSchema(spec.output) };
}
