/** `barista topics …` and `barista groups …`: the Kafka-protocol admin commands, registered together. */
import type { Command } from 'commander';
import { addGroupsCommand } from './groups.js';
import { addTopicsCommand } from './topics.js';

export function addLogAdminCommands(program: Command): void {
  addTopicsCommand(program);
  addGroupsCommand(program);
}
