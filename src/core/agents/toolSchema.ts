import { z } from 'zod';

/**
 * Agent tool schemas are zod objects: the same value validates what a model sends (neither MCP
 * nor VS Code guarantees the model obeys a schema) and yields the JSON Schema that MCP serves
 * and package.json `languageModelTools` declares.
 */
export type ToolInput = z.ZodObject;

/** A JSON Schema object, as sent over MCP and written into package.json. */
export interface JsonObjectSchema {
  type: 'object';
  properties?: Record<string, unknown>;
  required?: string[];
  [key: string]: unknown;
}

export type Validation = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/** Ids are given whole or as a unique prefix of at least 4 characters. */
export const idField = (description: string) => z.string().min(4).max(64).describe(description);

/** A string that must hold more than whitespace (the JSON Schema says minLength 1). */
export const textField = (max: number, description: string) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => s.trim().length > 0, { message: 'blank' })
    .describe(description);

/** JSON Schema of a tool's input (what a caller may send: defaults make fields optional). */
export function inputJsonSchema(schema: z.ZodType): JsonObjectSchema {
  return withoutDialect(z.toJSONSchema(schema, { io: 'input' }));
}

/** JSON Schema of a tool's structured output. */
export function outputJsonSchema(schema: z.ZodType): JsonObjectSchema {
  return withoutDialect(z.toJSONSchema(schema, { io: 'output' }));
}

function withoutDialect(s: Record<string, unknown>): JsonObjectSchema {
  const { $schema: _dialect, ...rest } = s;
  return rest as JsonObjectSchema;
}

/**
 * Checks `input` against a tool's schema and explains the first problem in one sentence. Optional
 * fields sent as null count as left out: models often send null for "no value", and refusing that
 * would only cost a retry.
 */
export function validateInput(schema: ToolInput, input: unknown): Validation {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input))
    return { ok: false, message: 'the arguments must be a JSON object.' };
  const given = Object.fromEntries(Object.entries(input as Record<string, unknown>).filter(([, v]) => v !== null));
  const r = schema.safeParse(given);
  if (r.success) return { ok: true, value: r.data as Record<string, unknown> };
  return { ok: false, message: explain(schema, r.error.issues[0], given) };
}

function explain(schema: ToolInput, issue: z.core.$ZodIssue, given: Record<string, unknown>): string {
  const path = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${String(p)}`)).join('');
  const value = issue.path.reduce<unknown>(
    (v, p) => (v as Record<PropertyKey, unknown> | undefined)?.[p as PropertyKey],
    given,
  );
  const field = `'${path}'`;
  if (value === undefined && issue.code !== 'unrecognized_keys') {
    const description = (schema.shape[String(issue.path[0])] as z.ZodType | undefined)?.description;
    return `missing required field ${field}${description ? ` (${description})` : ''}.`;
  }
  switch (issue.code) {
    case 'unrecognized_keys': {
      const keys = issue.keys;
      return (
        `unknown field${keys.length > 1 ? 's' : ''} ${keys.map((k) => `'${k}'`).join(', ')}; ` +
        `the fields are: ${Object.keys(schema.shape).join(', ')}.`
      );
    }
    case 'invalid_type':
      if (issue.expected === 'int') return `${field} must be a whole number, got ${String(value)}.`;
      return `${field} must be ${article(issue.expected)}, got ${describe(value)}.`;
    case 'invalid_value': {
      const got = typeof value === 'string' ? `'${value}'` : describe(value);
      return `${field} must be one of: ${issue.values.map(String).join(', ')}; got ${got}.`;
    }
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1
          ? `${field} must not be empty.`
          : `${field} must have at least ${issue.minimum} characters.`;
      if (issue.origin === 'array') return `${field} needs at least ${issue.minimum} items.`;
      return `${field} must be at least ${issue.minimum}, got ${String(value)}.`;
    case 'too_big':
      if (issue.origin === 'string')
        return `${field} is ${String(value).length} characters long; the limit is ${issue.maximum}.`;
      if (issue.origin === 'array')
        return `${field} has ${(value as unknown[]).length} items; the limit is ${issue.maximum}.`;
      return `${field} must be at most ${issue.maximum}, got ${String(value)}.`;
    case 'custom':
      return issue.message === 'blank' ? `${field} must not be empty.` : `${field}: ${issue.message}.`;
    default:
      return `${field}: ${issue.message}.`;
  }
}

function article(expected: string): string {
  const words: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    boolean: 'true or false',
    array: 'a list',
    object: 'an object',
  };
  return words[expected] ?? expected;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}
