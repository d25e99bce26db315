import { DevStreamError } from '../errors';
import type { JsonObject } from './types';

/** Checks run before any SQL, so users get a sentence instead of "CHECK constraint failed". */

export const MAX_TITLE = 200;
export const MAX_TASK_MINUTES = 10;

const invalid = (message: string) => new DevStreamError(message, 'invalid');

export function title(field: string, v: unknown): string {
  if (typeof v !== 'string' || v.trim() === '') throw invalid(`The ${field} must not be empty.`);
  const t = v.trim();
  if (t.length > MAX_TITLE)
    throw invalid(
      `The ${field} is ${t.length} characters long; the limit is ${MAX_TITLE}. Put the details in the description.`,
    );
  return t;
}

export function text(field: string, v: unknown): string {
  if (typeof v !== 'string') throw invalid(`The ${field} must be text.`);
  return v;
}

export function optText(field: string, v: unknown): string | null {
  return v == null ? null : text(field, v);
}

export function priority(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 10) {
    throw invalid(`Priority must be a whole number from 1 (lowest) to 10 (highest), not ${JSON.stringify(v)}.`);
  }
  return v;
}

export function maxDuration(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_TASK_MINUTES) {
    throw invalid(
      `A task's maximum duration must be a whole number of minutes from 1 to ${MAX_TASK_MINUTES}, not ${JSON.stringify(v)}: ` +
        `micro-tasks are at most ${MAX_TASK_MINUTES} minutes of focused work: split larger work into several tasks or sub-tasks.`,
    );
  }
  return v;
}

export function oneOf<T extends string>(field: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw invalid(`${JSON.stringify(v)} is not a valid ${field}: use one of ${allowed.join(', ')}.`);
  }
  return v as T;
}

/** For filters that take one value or several. */
export function someOf<T extends string>(field: string, v: T | T[], allowed: readonly T[]): T[] {
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => oneOf(field, x, allowed));
}

export function stringArray(field: string, v: unknown): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw invalid(`The ${field} must be a list of strings.`);
  return v as string[];
}

export function optObject(field: string, v: unknown): JsonObject | null {
  if (v == null) return null;
  if (typeof v !== 'object' || Array.isArray(v))
    throw invalid(`The ${field} must be a JSON object ({"key": value, ...}).`);
  return v as JsonObject;
}

/** Hours, minutes, token counts: finite and not negative. */
export function optAmount(field: string, v: unknown, integer = false): number | null {
  if (v == null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))) {
    throw invalid(
      `The ${field} must be a ${integer ? 'whole number' : 'number'} of 0 or more, not ${JSON.stringify(v)}.`,
    );
  }
  return v;
}

export function bool(field: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw invalid(`${field} must be true or false.`);
  return v;
}

export const json = (v: unknown): string | null => (v == null ? null : JSON.stringify(v));
