import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { runBarista } from '../../test/support/barista.js';

describe('barista command', () => {
  it('prints help naming every subcommand', async () => {
    const { code, stdout } = await runBarista(['--help']);
    expect(code).toBe(0);
    for (const command of ['dev', 'up', 'coord', 'broker', 'serve', 'nimbus', 'supervisor', 'submit', 'batch', 'query', 'topics', 'groups']) {
      expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
  });

  it('prints the package version', async () => {
    const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const { code, stdout } = await runBarista(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(manifest.version);
  });

  it('rejects an unknown log level and a bad --top with a usage error', async () => {
    const badLevel = await runBarista(['--log-level', 'loud', 'dev']);
    expect(badLevel.code).not.toBe(0);
    expect(badLevel.stderr).toMatch(/Allowed choices are fatal, error/);
    const badTop = await runBarista(['dev', '--top', 'many']);
    expect(badTop.code).not.toBe(0);
    expect(badTop.stderr).toMatch(/expected a positive integer, got "many"/);
  });

  it('up refuses a cluster size outside 1..7 before starting anything', async () => {
    const { code, stderr } = await runBarista(['up', '--nodes', '8']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/--nodes 8: expected an integer from 1 to 7/);
  });

  it.each(['nimbus', 'supervisor', 'list'])('%s without --coord is a usage error', async (command) => {
    const { code, stderr } = await runBarista([command]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/required option '--coord <connect>' not specified/);
  });
});
