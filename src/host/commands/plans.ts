import type { CommandHandler } from '.';

/** Plan, phase and task commands (see package.json contributes.commands). */
export const planCommands = {} satisfies Record<string, CommandHandler>;
