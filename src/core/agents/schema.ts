/**
 * The subset of JSON Schema the agent tools use. Schemas are plain objects so that the same
 * value can be sent over MCP and copied into VS Code's `languageModelTools[].inputSchema`;
 * validateInput enforces them in code because neither transport guarantees the model obeys them.
 */
export interface JsonSchema {
  type: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array';
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean;
  enum?: readonly string[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
}

export interface ObjectSchema extends JsonSchema {
  type: 'object';
  properties: Record<string, JsonSchema>;
  required: readonly string[];
  additionalProperties: false;
}

export type Validation = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/**
 * Checks `input` against an object schema. Optional fields sent as null count as left out:
 * models often send null for "no value", and refusing that would only cost a retry.
 */
export function validateInput(schema: ObjectSchema, input: unknown): Validation {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) return { ok: false, message: 'the arguments must be a JSON object.' };
  const given = input as Record<string, unknown>;
  const allowed = Object.keys(schema.properties);
  const unknown = Object.keys(given).filter((k) => !(k in schema.properties));
  if (unknown.length > 0) {
    return { ok: false, message: `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}; the fields are: ${allowed.join(', ')}.` };
  }
  const value: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema.properties)) {
    const v = given[key];
    if (v === undefined || v === null) {
      if (schema.required.includes(key)) return { ok: false, message: `missing required field '${key}' (${prop.description ?? prop.type}).` };
      continue;
    }
    const problem = check(prop, v, key);
    if (problem) return { ok: false, message: problem };
    value[key] = v;
  }
  return { ok: true, value };
}

function check(s: JsonSchema, v: unknown, path: string): string | null {
  const got = describe(v);
  switch (s.type) {
    case 'string': {
      if (typeof v !== 'string') return `'${path}' must be a string, got ${got}.`;
      if (s.enum && !s.enum.includes(v)) return `'${path}' must be one of: ${s.enum.join(', ')}; got '${v}'.`;
      const trimmed = v.trim().length;
      if (s.minLength !== undefined && trimmed < s.minLength) {
        return s.minLength === 1 ? `'${path}' must not be empty.` : `'${path}' must have at least ${s.minLength} characters.`;
      }
      if (s.maxLength !== undefined && v.length > s.maxLength) return `'${path}' is ${v.length} characters long; the limit is ${s.maxLength}.`;
      return null;
    }
    case 'integer':
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return `'${path}' must be a number, got ${got}.`;
      if (s.type === 'integer' && !Number.isInteger(v)) return `'${path}' must be a whole number, got ${v}.`;
      if (s.minimum !== undefined && v < s.minimum) return `'${path}' must be at least ${s.minimum}, got ${v}.`;
      if (s.maximum !== undefined && v > s.maximum) return `'${path}' must be at most ${s.maximum}, got ${v}.`;
      return null;
    }
    case 'boolean':
      return typeof v === 'boolean' ? null : `'${path}' must be true or false, got ${got}.`;
    case 'array': {
      if (!Array.isArray(v)) return `'${path}' must be a list, got ${got}.`;
      if (s.minItems !== undefined && v.length < s.minItems) return `'${path}' needs at least ${s.minItems} items.`;
      if (s.maxItems !== undefined && v.length > s.maxItems) return `'${path}' has ${v.length} items; the limit is ${s.maxItems}.`;
      if (s.items) {
        for (let i = 0; i < v.length; i++) {
          const p = check(s.items, v[i], `${path}[${i}]`);
          if (p) return p;
        }
      }
      return null;
    }
    case 'object':
      return typeof v === 'object' && !Array.isArray(v) ? null : `'${path}' must be an object, got ${got}.`;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}
