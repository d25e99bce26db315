import type { CliContext } from './context';

/** Option values as commander gives them: camelCase keys (`--ollama-url` → `ollamaUrl`). */
export type Values = Record<string, unknown>;

export interface OptionSpec {
  /** Commander flags, e.g. '--objective <text>' or '--archived'. */
  flags: string;
  description: string;
  /** May be given more than once; the values are collected in order. */
  repeat?: boolean;
  /** The only values accepted: listed in help, checked before the command runs (exit 2). */
  choices?: readonly string[];
  /** What the choice names, for the error: "Unknown content type 'x'". */
  choiceOf?: string;
}

export interface CommandSpec {
  /** Words that select it, e.g. 'plan add'. */
  name: string;
  /** Positional arguments, upper case: 'TITLE' is required, '[NAME]' optional. */
  args?: string[];
  summary: string;
  options?: OptionSpec[];
  /** Creates the database when it does not exist; every other command refuses a missing file. */
  creates?: boolean;
  run(ctx: CliContext, values: Values, args: string[]): void | Promise<void>;
}

/** A group of commands under one word (`plan add`, `plan list`): its help line. */
export interface GroupSpec {
  name: string;
  summary: string;
}

/** A usage mistake: printed with the command's usage line, exit code 2. */
export class UsageError extends Error {}

export function str(values: Values, key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
}

/** A repeatable option whose values may also be comma-separated: `--tag a --tag b,c`. */
export function list(values: Values, key: string): string[] {
  const v = values[key];
  const all = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
  return all
    .flatMap((x) => x.split(','))
    .map((x) => x.trim())
    .filter(Boolean);
}

export function int(values: Values, key: string, flag = toFlag(key)): number | undefined {
  const v = str(values, key);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v.trim())) throw new UsageError(`${flag} takes a whole number, not '${v}'.`);
  return Number(v);
}

/** The one rule for every --limit: a whole number, at least 1. */
export function limit(values: Values, fallback: number): number {
  const n = int(values, 'limit');
  if (n === undefined) return fallback;
  if (n < 1) throw new UsageError(`--limit must be at least 1, not ${n}.`);
  return n;
}

export function num(values: Values, key: string, flag = toFlag(key)): number | undefined {
  const v = str(values, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} takes a number, not '${v}'.`);
  return n;
}

/** A value from a fixed list, or a usage error listing exactly that list. */
export function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if (!allowed.includes(value as T)) {
    throw new UsageError(`Unknown ${what} '${value}'; use one of: ${allowed.join(', ')}.`);
  }
  return value as T;
}

/** `ollamaUrl` → `--ollama-url`, for messages. */
export function toFlag(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
