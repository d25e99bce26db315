import type { ParseArgsConfig } from 'node:util';
import { DevStreamError } from '../core/errors';
import type { CliContext } from './context';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  /** Words that select it, e.g. 'plan add'. */
  name: string;
  /** Arguments after the name, for help. */
  usage: string;
  summary: string;
  options?: Options;
  /** How many positional arguments it takes. */
  args?: [min: number, max: number];
  run(ctx: CliContext, values: Values, args: string[]): void | Promise<void>;
}

/** A usage mistake: printed with the command's usage line, exit code 2. */
export class UsageError extends Error {}

export function str(values: Values, key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
}

export function list(values: Values, key: string): string[] {
  const v = values[key];
  if (Array.isArray(v)) return v.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
  return typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter(Boolean) : [];
}

export function int(values: Values, key: string): number | undefined {
  const v = str(values, key);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new UsageError(`--${key} takes a whole number, not '${v}'.`);
  return Number(v);
}

export function num(values: Values, key: string): number | undefined {
  const v = str(values, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${key} takes a number, not '${v}'.`);
  return n;
}

export function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if (!allowed.includes(value as T)) throw new DevStreamError(`Unknown ${what} '${value}'; use one of: ${allowed.join(', ')}.`);
  return value as T;
}
