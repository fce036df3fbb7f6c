/**
 * Writes docs/cli.md from the built CLI's own --help texts (`npm run docs:cli`), so the reference
 * cannot drift from the commands: cli-reference.test.ts checks every command and option is in it.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-root.js';

const root = packageRoot();
const bin = join(root, 'dist', 'core', 'cli', 'barista.js');

function help(args: readonly string[]): string {
  return execFileSync(process.execPath, [bin, ...args, '--help'], { encoding: 'utf8' }).trimEnd();
}

/** Subcommand names listed under "Commands:" of a commander help text. */
export function subcommandsOf(text: string): string[] {
  const section = text.split('\nCommands:\n')[1] ?? '';
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((match) => match[1]!).filter((name) => name !== 'help');
}

function main(): void {
  const top = help([]);
  const parts = ['# CLI reference', '', "Generated from the commands' own `--help` by `npm run docs:cli`; the guides explain when to use", 'which: [architecture](architecture.md), [operations](operations.md).', '', '```', top, '```'];
  const commands = subcommandsOf(top);
  for (const command of commands) {
    const text = help([command]);
    parts.push('', `## barista ${command}`, '', '```', text, '```');
    for (const sub of subcommandsOf(text)) parts.push('', `### barista ${command} ${sub}`, '', '```', help([command, sub]), '```');
  }
  writeFileSync(join(root, 'docs', 'cli.md'), `${parts.join('\n')}\n`);
  process.stdout.write(`wrote docs/cli.md (${commands.length} commands)\n`);
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\/dist\//, '/dist/'))) main();
