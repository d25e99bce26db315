import type { CommandHandler } from '.';
import { keepMemoryAsHistory, showImpact, updateMemoryFromCode } from './anchors';
import { saveNote, saveSelection } from './capture';
import {
  archiveMemory,
  deleteMemory,
  editMemory,
  jumpToSource,
  keepMemoryPrivate,
  openMemory,
  shareMemory,
} from './memoryActions';
import { openDoctor, reindexEmbeddings } from './memoryMaintenance';
import { searchMemories } from './memorySearch';

/**
 * Memory capture, search and maintenance commands (see package.json contributes.commands).
 * Each accepts an optional automation object (e.g. { contentType: 'code', keywords: [] }) so
 * nothing is asked for what it gives; handlers return what they saved or did.
 */
export const memoryCommands = {
  'devstream.saveSelection': saveSelection,
  'devstream.saveNote': saveNote,
  'devstream.searchMemories': searchMemories,
  'devstream.openMemory': openMemory,
  'devstream.jumpToSource': jumpToSource,
  'devstream.editMemory': editMemory,
  'devstream.archiveMemory': archiveMemory,
  'devstream.shareMemory': shareMemory,
  'devstream.keepMemoryPrivate': keepMemoryPrivate,
  'devstream.deleteMemory': deleteMemory,
  'devstream.reindexEmbeddings': reindexEmbeddings,
  'devstream.openDoctor': openDoctor,
  'devstream.updateFromCode': updateMemoryFromCode,
  'devstream.keepAsHistory': keepMemoryAsHistory,
  'devstream.showImpact': showImpact,
} satisfies Record<string, CommandHandler>;
