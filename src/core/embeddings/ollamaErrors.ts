import { DevStreamError, type DevStreamErrorCode } from '../errors';

/** What went wrong talking to Ollama, in words a user can act on. */
export interface OllamaFailure {
  reason: string;
  hint?: string;
  code: DevStreamErrorCode;
  /** Worth another try (connection refused/reset, HTTP 5xx); timeouts and 4xx are not. */
  transient: boolean;
}

export interface FailureContext {
  host: string;
  model: string;
  timeoutMs: number;
  timedOut: boolean;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EADDRNOTAVAIL']);

export const pullHint = (model: string) => `Run \`ollama pull ${model}\`.`;

/** Maps whatever the ollama client or fetch threw onto an OllamaFailure. */
export function classifyOllamaError(e: unknown, ctx: FailureContext): OllamaFailure {
  if (ctx.timedOut) {
    return {
      reason: `Ollama did not answer within ${formatSeconds(ctx.timeoutMs)} s (${ctx.host}, model ${ctx.model}).`,
      hint: 'It may be loading the model or overloaded; try again, or raise the timeout.',
      code: 'unavailable',
      transient: false,
    };
  }
  if (e instanceof DevStreamError) return { reason: e.message, code: e.code, transient: false };
  const status = (e as { status_code?: unknown } | null)?.status_code;
  const message = e instanceof Error ? e.message : String(e);
  if (typeof status === 'number') {
    if (status === 404 || /model .*not found/i.test(message)) {
      return {
        reason: `Ollama model "${ctx.model}" is not pulled (${ctx.host}: ${message}).`,
        hint: pullHint(ctx.model),
        code: 'unavailable',
        transient: false,
      };
    }
    if (status >= 500)
      return { reason: `Ollama failed (HTTP ${status}): ${message}`, code: 'unavailable', transient: true };
    return { reason: `Ollama rejected the request (HTTP ${status}): ${message}`, code: 'invalid', transient: false };
  }
  if (e instanceof SyntaxError) {
    return {
      reason: `Ollama at ${ctx.host} sent a response that is not valid JSON (${message}). Is that address really Ollama?`,
      code: 'invalid',
      transient: false,
    };
  }
  const code = networkCode(e);
  if (code !== undefined || (e instanceof TypeError && /fetch failed/i.test(message))) {
    if (code === undefined || UNREACHABLE.has(code)) {
      return {
        reason: `Ollama is not running at ${ctx.host}${code ? ` (${code})` : ''}.`,
        hint: 'Start it with `ollama serve`.',
        code: 'unavailable',
        transient: true,
      };
    }
    return { reason: `Lost the connection to Ollama at ${ctx.host} (${code}).`, code: 'unavailable', transient: true };
  }
  return { reason: `Ollama request failed: ${message}`, code: 'unavailable', transient: false };
}

export function toDevStreamError(f: OllamaFailure): DevStreamError {
  return new DevStreamError(f.hint ? `${f.reason} ${f.hint}` : f.reason, f.code);
}

/** undici puts the socket error's code on error.cause (sometimes nested one level deeper). */
function networkCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; cur = (cur as { cause?: unknown }).cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$|^UND_ERR/.test(code)) return code;
  }
  return undefined;
}

function formatSeconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}
