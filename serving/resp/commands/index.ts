/** The command families assembled into one table. */
import { baristaCommands } from './barista.js';
import { connectionCommands } from './connection.js';
import { expiryCommands } from './expiry.js';
import { keyCommands } from './keys.js';
import { serverCommands } from './server.js';
import { stringCommands } from './strings.js';
import { CommandTable } from './table.js';
import { viewCommands } from './views.js';

export function createCommandTable(): CommandTable {
  const table: CommandTable = new CommandTable([...connectionCommands, ...stringCommands, ...keyCommands, ...expiryCommands, ...serverCommands(() => table), ...baristaCommands, ...viewCommands]);
  return table;
}

export { CommandTable, arityAccepts, wrongArityText, type Lookup } from './table.js';
export type * from './types.js';
