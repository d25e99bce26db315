import type { CommandHandler } from '.';

/** Memory capture, search and maintenance commands (see package.json contributes.commands). */
export const memoryCommands = {} satisfies Record<string, CommandHandler>;
