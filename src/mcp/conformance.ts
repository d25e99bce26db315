import {
  CallToolRequestSchema,
  GetPromptRequestSchema,
  InitializeRequestSchema,
  JSONRPCMessageSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  PingRequestSchema,
  ReadResourceRequestSchema,
  type JSONRPCMessage,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const INVALID_PARAMS = -32602;

/** The protocol version whose clients may send JSON-RPC batches (2025-06-18 removed them again). */
export const BATCH_PROTOCOL_VERSION = '2025-03-26';

/** The requests this server answers, by method: their params are checked before the SDK sees them. */
const REQUEST_SCHEMAS: Record<string, z.ZodType> = {
  initialize: InitializeRequestSchema,
  ping: PingRequestSchema,
  'tools/list': ListToolsRequestSchema,
  'tools/call': CallToolRequestSchema,
  'resources/list': ListResourcesRequestSchema,
  'resources/templates/list': ListResourceTemplatesRequestSchema,
  'resources/read': ReadResourceRequestSchema,
  'prompts/list': ListPromptsRequestSchema,
  'prompts/get': GetPromptRequestSchema,
};

export type RequestId = string | number;

export interface ErrorReply {
  jsonrpc: '2.0';
  id: RequestId | null;
  error: { code: number; message: string };
}

export function errorReply(id: RequestId | null, code: number, message: string): ErrorReply {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

/**
 * One parsed JSON value checked as a JSON-RPC message: either the message to hand to the SDK, or
 * the error reply to send instead (-32600 for something that is not a JSON-RPC message, -32602
 * with a one-line message for a known request whose params have the wrong shape).
 */
export function checkMessage(value: unknown): { message: JSONRPCMessage } | { reply: ErrorReply } {
  const id = idOf(value);
  const parsed = JSONRPCMessageSchema.safeParse(value);
  if (!parsed.success) {
    return { reply: errorReply(id, INVALID_REQUEST, `Invalid request: ${shapeProblem(value)}`) };
  }
  const message = parsed.data;
  if ('method' in message && 'id' in message) {
    const schema = REQUEST_SCHEMAS[message.method];
    const r = schema?.safeParse(message);
    if (r && !r.success) {
      return {
        reply: errorReply(
          message.id,
          INVALID_PARAMS,
          `Invalid params for ${message.method}: ${oneLine(r.error.issues[0])}`,
        ),
      };
    }
  }
  return { message };
}

function idOf(value: unknown): RequestId | null {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}

function shapeProblem(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'a JSON-RPC message is a JSON object.';
  const v = value as Record<string, unknown>;
  if (v.jsonrpc !== '2.0') return `"jsonrpc" must be "2.0".`;
  if ('method' in v && typeof v.method !== 'string') return `"method" must be a string.`;
  if ('id' in v && idOf(v) === null) return `"id" must be a string or a number.`;
  if (!('method' in v) && !('result' in v) && !('error' in v)) return 'it has no "method" (nor "result" or "error").';
  return 'it is not a valid request, notification or response.';
}

function oneLine(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'they do not match the method.';
  const at = issue.path.length ? `'${issue.path.map(String).join('.')}'` : 'the request';
  return `${at}: ${issue.message.replace(/\s+/g, ' ')}.`;
}
