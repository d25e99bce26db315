// Quick-input steps shared by the plan and task commands. Every helper resolves undefined when
// the user presses Escape: callers stop there, before anything is written.
import * as vscode from 'vscode';
import { MAX_TASK_MINUTES } from '../../core/plans';

const MAX_TITLE = 200;

export interface TextStep {
  /** The command's name; with `step` it reads "Create Plan (2/4)". */
  title: string;
  step?: readonly [number, number];
  prompt: string;
  placeHolder?: string;
  value?: string;
  /** Returns a message while the text is not acceptable. */
  validate?: (text: string) => string | undefined;
}

const stepTitle = (s: { title: string; step?: readonly [number, number] }) =>
  s.step ? `${s.title} (${s.step[0]}/${s.step[1]})` : s.title;

export async function askText(s: TextStep): Promise<string | undefined> {
  const text = await vscode.window.showInputBox({
    title: stepTitle(s),
    prompt: s.prompt,
    placeHolder: s.placeHolder,
    value: s.value,
    ignoreFocusOut: true, // switching to the editor to look something up must not lose the input
    validateInput: s.validate ? (v) => s.validate?.(v) : undefined,
  });
  return text === undefined ? undefined : text.trim();
}

/** A required one-line name, as the core accepts it (non-empty, at most 200 characters). */
export function titleRule(what: string): (text: string) => string | undefined {
  return (text) => {
    const t = text.trim();
    if (t === '') return `A ${what} is required.`;
    if (t.length > MAX_TITLE)
      return `${t.length} characters: a ${what} is at most ${MAX_TITLE}. Put the details in the description.`;
    return undefined;
  };
}

export const requiredRule = (message: string) => (text: string) => (text.trim() === '' ? message : undefined);

function intRule(min: number, max: number, message: string): (text: string) => string | undefined {
  return (text) => {
    const n = Number(text.trim());
    return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? undefined : message;
  };
}

export const PRIORITY_MESSAGE = 'Priority is a whole number from 1 (lowest) to 10 (highest).';
export const MINUTES_MESSAGE =
  `A micro-task is 1 to ${MAX_TASK_MINUTES} minutes of focused work: enter a whole number from 1 to ${MAX_TASK_MINUTES}, ` +
  'and split bigger work into several tasks or sub-tasks.';

export async function askInt(s: TextStep & { min: number; max: number; message: string }): Promise<number | undefined> {
  const text = await askText({ ...s, validate: intRule(s.min, s.max, s.message) });
  return text === undefined ? undefined : Number(text);
}

export const askPriority = (title: string, step: readonly [number, number] | undefined, value = 5) =>
  askInt({
    title,
    step,
    prompt: 'Priority, from 1 (lowest) to 10 (highest)',
    value: String(value),
    min: 1,
    max: 10,
    message: PRIORITY_MESSAGE,
  });

export const askMinutes = (title: string, step: readonly [number, number] | undefined, value = MAX_TASK_MINUTES) =>
  askInt({
    title,
    step,
    value: String(value),
    min: 1,
    max: MAX_TASK_MINUTES,
    message: MINUTES_MESSAGE,
    prompt: `At most how many minutes? Micro-tasks take 1 to ${MAX_TASK_MINUTES} minutes of focused work; split bigger work.`,
  });

export async function pickOne<T extends vscode.QuickPickItem>(
  items: readonly T[],
  s: { title: string; step?: readonly [number, number]; placeHolder: string },
): Promise<T | undefined> {
  return vscode.window.showQuickPick(items, {
    title: stepTitle(s),
    placeHolder: s.placeHolder,
    ignoreFocusOut: true,
    matchOnDescription: true,
  });
}

/** A modal yes/no naming what is about to go; true only for the explicit button. */
export async function confirmDelete(question: string, detail: string): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(question, { modal: true, detail }, 'Delete');
  return choice === 'Delete';
}

/** "a, b; c" → ['a', 'b', 'c']: objectives are typed on one line. */
export function splitList(text: string): string[] {
  return text
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** "3 tasks", "1 task", "no tasks". */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return n === 0 ? `no ${plural}` : `${n} ${n === 1 ? noun : plural}`;
}
