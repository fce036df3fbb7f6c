/**
 * Real ZooKeeper clients against Barista's coordination service: kazoo (Python) runs the same
 * flows against a real ZooKeeper 3.8 server and against Barista and the reports must be equal;
 * zkCli.sh (the Java CLI) and node-zookeeper-client run their own flows.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import zookeeper from 'node-zookeeper-client';
import { DEBIAN_PYTHON, describeWithTools, TOOLS } from '../support/tools.js';
import { startZooKeeper, type RunningZooKeeper } from '../support/zookeeper.js';
import { startCoordEnsemble, type CoordEnsemble } from '../support/coord.js';

const KAZOO_FLOWS = fileURLToPath(new URL('./kazoo_flows.py', import.meta.url));

function runKazoo(hosts: string, prefix: string): Record<string, unknown> {
  const result = spawnSync(DEBIAN_PYTHON, [KAZOO_FLOWS, hosts, prefix], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`kazoo flows failed against ${hosts}:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

function zkCli(port: number, commands: string[]): string {
  const result = spawnSync(TOOLS.zkCli.command, ['-server', `127.0.0.1:${port}`], { input: `${commands.join('\n')}\nquit\n`, encoding: 'utf8', timeout: 60_000 });
  return `${result.stdout}${result.stderr}`;
}

describeWithTools([TOOLS.java, TOOLS.zookeeperJar, TOOLS.kazoo], 'kazoo: Barista ensemble vs real ZooKeeper 3.8', () => {
  let real: RunningZooKeeper;
  let barista: CoordEnsemble;
  beforeAll(async () => {
    [real, barista] = await Promise.all([startZooKeeper(), startCoordEnsemble({ servers: 3 })]);
  }, 120_000);
  afterAll(async () => Promise.all([real?.stop(), barista?.stop()]));

  it('gives the same results for create/get/set/delete, children, sequentials, ephemerals, watches, ACLs, multi, Lock and Election', () => {
    const expected = runKazoo(`127.0.0.1:${real.port}`, '/flows');
    const actual = runKazoo(barista.connectString, '/flows');
    expect(actual).toEqual(expected);
  }, 120_000);
});

describeWithTools([TOOLS.java, TOOLS.zkCli], 'zkCli.sh against Barista', () => {
  let barista: CoordEnsemble;
  beforeAll(async () => {
    barista = await startCoordEnsemble({ servers: 1 });
  }, 60_000);
  afterAll(async () => barista?.stop());

  it('creates, reads, lists, updates and deletes znodes', () => {
    const output = zkCli(barista.ports[0]!, ['create /cli hello', 'create -s /cli/seq- x', 'create -e /cli/eph e', 'get /cli', 'ls /cli', 'set /cli world', 'get -s /cli', 'delete /cli/eph', 'ls /cli']);
    expect(output).toMatch(/Created \/cli\n/);
    expect(output).toMatch(/Created \/cli\/seq-0000000000/);
    expect(output).toMatch(/^hello$/m);
    expect(output).toMatch(/\[eph, seq-0000000000\]|\[seq-0000000000, eph\]/);
    expect(output).toMatch(/^world$/m);
    expect(output).toMatch(/dataVersion = 1/);
    expect(output).toMatch(/^\[seq-0000000000\]$/m);
  }, 60_000);
});

describeWithTools([], 'node-zookeeper-client against Barista', () => {
  let barista: CoordEnsemble;
  let client: zookeeper.Client;
  beforeAll(async () => {
    barista = await startCoordEnsemble({ servers: 3 });
    client = zookeeper.createClient(barista.connectString, { sessionTimeout: 10_000 });
    await new Promise<void>((resolve) => {
      client.once('connected', () => resolve());
      client.connect();
    });
  }, 60_000);
  afterAll(async () => {
    client?.close();
    await barista?.stop();
  });

  // node-zookeeper-client reports errors as Exception objects (with getName()), not Errors.
  type Callback = (error: unknown, value?: any) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
  const call = <T>(fn: (callback: Callback) => void) => new Promise<T>((resolve, reject) => fn((error, value) => (error ? reject(error) : resolve(value as T))));

  it('runs create, getData with a watch, setData, getChildren, and multi', async () => {
    await call((cb) => client.create('/nzc', Buffer.from('one'), cb));
    const watched = new Promise<string>((resolve) => {
      client.getData('/nzc', (event) => resolve(event.getName()), (error) => error && resolve(`error ${error}`));
    });
    await call((cb) => client.setData('/nzc', Buffer.from('two'), -1, cb));
    expect(await watched).toBe('NODE_DATA_CHANGED');
    const data = await call<Buffer>((cb) => client.getData('/nzc', (error, value) => cb(error, value)));
    expect(data.toString()).toBe('two');
    await call((cb) => client.create('/nzc/child', cb));
    expect(await call<string[]>((cb) => client.getChildren('/nzc', cb))).toEqual(['child']);
    await call((cb) => client.transaction().create('/nzc/t1').setData('/nzc', Buffer.from('three'), -1).commit(cb));
    expect((await call<string[]>((cb) => client.getChildren('/nzc', cb))).sort()).toEqual(['child', 't1']);
  });

  it('reports NO_NODE and NODE_EXISTS as ZooKeeper does', async () => {
    const name = (error: unknown) => (error as { getName(): string }).getName();
    expect(name(await call((cb) => client.getData('/nope', (error, value) => cb(error, value))).catch((e: unknown) => e))).toBe('NO_NODE');
    expect(name(await call((cb) => client.create('/nzc', cb)).catch((e: unknown) => e))).toBe('NODE_EXISTS');
  });
});
