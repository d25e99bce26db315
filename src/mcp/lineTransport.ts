import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import {
  BATCH_PROTOCOL_VERSION,
  checkMessage,
  errorReply,
  INVALID_REQUEST,
  PARSE_ERROR,
  type ErrorReply,
  type RequestId,
} from './conformance';

/** A line longer than this is dropped with an error reply rather than buffered without end. */
const MAX_LINE_BYTES = 32 * 1024 * 1024;

interface Batch {
  waiting: Set<RequestId>;
  replies: unknown[];
}

/**
 * Newline-delimited JSON-RPC over stdio, replacing the SDK's StdioServerTransport, which drops
 * what it cannot parse without a reply and has no batches. Here an unparseable line gets -32700
 * (id null), a non-message -32600, bad params of a known request -32602 (see checkMessage), and a
 * batch from a client that negotiated 2025-03-26 is answered with one array; the server goes on.
 */
export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private buffer = '';
  private readonly decoder = new StringDecoder('utf8');
  private readonly batches = new Map<RequestId, Batch>();
  private initializeId?: RequestId;
  private protocolVersion?: string;
  private closed = false;

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
  ) {}

  async start(): Promise<void> {
    this.input.on('data', this.onData);
    this.input.on('error', this.onInputError);
  }

  /** The version agreed at initialize (undefined before). */
  get negotiatedVersion(): string | undefined {
    return this.protocolVersion;
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if ('id' in message && this.initializeId !== undefined && message.id === this.initializeId && 'result' in message) {
      this.protocolVersion = (message.result as { protocolVersion?: string }).protocolVersion;
      this.initializeId = undefined;
    }
    const id = 'id' in message && !('method' in message) ? message.id : undefined;
    const batch = id === undefined ? undefined : this.batches.get(id);
    if (!batch || id === undefined) return this.write(message);
    batch.waiting.delete(id);
    this.batches.delete(id);
    batch.replies.push(message);
    if (batch.waiting.size === 0) await this.write(batch.replies);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.input.off('data', this.onData);
    this.input.off('error', this.onInputError);
    this.onclose?.();
  }

  private readonly onInputError = (e: Error) => this.onerror?.(e);

  private readonly onData = (chunk: Buffer | string) => {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      this.handleLine(line);
    }
    if (this.buffer.length > MAX_LINE_BYTES) {
      this.buffer = '';
      void this.write(
        errorReply(null, INVALID_REQUEST, `Invalid request: a message longer than ${MAX_LINE_BYTES} bytes.`),
      );
    }
  };

  private handleLine(line: string): void {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      void this.write(errorReply(null, PARSE_ERROR, `Parse error: ${(e as Error).message}`));
      return;
    }
    if (Array.isArray(value)) this.handleBatch(value);
    else this.deliver(value, (reply) => void this.write(reply));
  }

  private handleBatch(items: unknown[]): void {
    if (this.protocolVersion !== BATCH_PROTOCOL_VERSION) {
      const why = this.protocolVersion ? `this session uses ${this.protocolVersion}` : 'the session is not initialized';
      void this.write(
        errorReply(
          null,
          INVALID_REQUEST,
          `Invalid request: batches are accepted only under protocol version ` +
            `${BATCH_PROTOCOL_VERSION} (${why}); send one message per line.`,
        ),
      );
      return;
    }
    if (items.length === 0) {
      void this.write(errorReply(null, INVALID_REQUEST, 'Invalid request: an empty batch.'));
      return;
    }
    const batch: Batch = { waiting: new Set(), replies: [] };
    const valid: JSONRPCMessage[] = [];
    for (const item of items) {
      this.deliver(
        item,
        (reply) => batch.replies.push(reply),
        (m) => {
          if ('method' in m && 'id' in m) {
            if (m.method === 'initialize' || batch.waiting.has(m.id) || this.batches.has(m.id)) {
              batch.replies.push(
                errorReply(
                  m.id,
                  INVALID_REQUEST,
                  m.method === 'initialize'
                    ? 'Invalid request: initialize must not be part of a batch.'
                    : `Invalid request: id ${m.id} is already in use.`,
                ),
              );
              return false;
            }
            batch.waiting.add(m.id);
            this.batches.set(m.id, batch);
          }
          valid.push(m);
          return false; // delivered below, once every request of the batch is registered
        },
      );
    }
    if (batch.waiting.size === 0 && batch.replies.length > 0) void this.write(batch.replies);
    for (const m of valid) this.onmessage?.(m);
  }

  /** Checks one message; hands it on (or to `take`, which returns whether to hand it on now). */
  private deliver(value: unknown, reject: (r: ErrorReply) => void, take?: (m: JSONRPCMessage) => boolean): void {
    const checked = checkMessage(value);
    if ('reply' in checked) {
      if (!isNotification(value)) reject(checked.reply);
      return;
    }
    const m = checked.message;
    if ('method' in m && m.method === 'initialize' && 'id' in m) this.initializeId = m.id;
    if (take && !take(m)) return;
    this.onmessage?.(m);
  }

  private write(message: unknown): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      if (this.output.write(JSON.stringify(message) + '\n')) resolve();
      else this.output.once('drain', resolve);
    });
  }
}

/** A well-formed notification (a method, no id): JSON-RPC forbids replying to it, even with an error. */
function isNotification(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { method?: unknown }).method === 'string' &&
    !('id' in value) &&
    (value as { jsonrpc?: unknown }).jsonrpc === '2.0'
  );
}
