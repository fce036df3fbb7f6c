import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { describeWithTools, TOOLS } from '../../test/support/tools.js';
import { command, runTool, startTestServer, type TestServer } from './test-support.js';

describeWithTools([TOOLS.redisCli], 'redis-cli against the RESP server', () => {
  let server: TestServer;
  const cli = (args: string[], input?: string | Buffer) => runTool('redis-cli', ['-h', '127.0.0.1', '-p', String(server.port), ...args], input);
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  it('runs commands given as arguments', async () => {
    expect((await cli(['SET', 'greeting', 'hello world'])).stdout).toBe('OK\n');
    expect((await cli(['GET', 'greeting'])).stdout).toBe('hello world\n');
    expect((await cli(['INCRBY', 'visits', '5'])).stdout).toBe('5\n');
    expect((await cli(['MGET', 'greeting', 'nothing'])).stdout).toBe('hello world\n\n');
    expect((await cli(['nosuch', 'x'])).stdout).toBe("ERR unknown command 'nosuch', with args beginning with: 'x' \n\n");
  });

  it('runs commands read line by line from stdin, as in a shell pipeline', async () => {
    const run = await cli([], 'SET counter 10\nINCR counter\nEXPIRE counter 100\nTTL counter\n');
    expect(run.stdout).toBe('OK\n11\n1\n100\n');
  });

  it('lists keys with --scan --pattern over SCAN cursors', async () => {
    await cli(['MSET', ...Array.from({ length: 40 }, (_, i) => [`scan:${i}`, 'v']).flat()]);
    const run = await cli(['--scan', '--pattern', 'scan:*']);
    expect(run.stdout.trim().split('\n').sort()).toEqual(Array.from({ length: 40 }, (_, i) => `scan:${i}`).sort());
  });

  it('switches to RESP3 with -3', async () => {
    const run = await cli(['-3', 'HELLO', '3']);
    expect(run.stdout).toMatch(/^proto 3$/m);
  });

  it('bulk loads with --pipe and reports no errors', async () => {
    const count = 10_000;
    const input = Buffer.concat(Array.from({ length: count }, (_, i) => command('SET', `bulk:${i}`, `value-${i}`)));
    const run = await cli(['--pipe'], input);
    expect(run.stdout).toContain(`errors: 0, replies: ${count}`);
    expect(run.code).toBe(0);
    expect((await cli(['GET', 'bulk:9999'])).stdout).toBe('value-9999\n');
  });
});
