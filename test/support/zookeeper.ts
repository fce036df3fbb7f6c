/** A real ZooKeeper 3.8 server (Debian package `zookeeper`), standalone, on a free loopback port. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { startProcess, type ManagedProcess } from './processes.js';

export interface RunningZooKeeper {
  port: number;
  dataDir: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

const FOUR_LETTER_WORD_TIMEOUT_MS = 5_000;

/** Sends a four-letter word and returns the whole answer. */
export async function fourLetterWord(port: number, word: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ port, host: '127.0.0.1' }, () => socket.write(word));
    // A server that accepts but never answers must not hang a test run.
    socket.setTimeout(FOUR_LETTER_WORD_TIMEOUT_MS, () => socket.destroy(new Error(`no answer to ${word} from port ${port} within ${FOUR_LETTER_WORD_TIMEOUT_MS} ms`)));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.once('end', () => resolve(Buffer.concat(chunks).toString()));
    socket.once('error', reject);
  });
}

export interface RunningZooKeeperEnsemble {
  ports: number[];
  connectString: string;
  stop(): Promise<void>;
}

/** A real ZooKeeper quorum of `servers` JVMs on loopback (for benchmarks and differential runs). */
export async function startZooKeeperEnsemble(servers: number): Promise<RunningZooKeeperEnsemble> {
  const root = await mkdtemp(join(tmpdir(), 'barista-zk-ensemble-'));
  const ports = await Promise.all(Array.from({ length: servers }, freePort));
  const quorumPorts = await Promise.all(Array.from({ length: servers * 2 }, freePort));
  const serverLines = ports.map((_, i) => `server.${i + 1}=127.0.0.1:${quorumPorts[2 * i]}:${quorumPorts[2 * i + 1]}`);
  const processes = await Promise.all(
    ports.map(async (port, i) => {
      const dataDir = join(root, `server-${i + 1}`);
      await mkdir(join(dataDir, 'data'), { recursive: true });
      await writeFile(join(dataDir, 'data', 'myid'), String(i + 1));
      const config = join(dataDir, 'zoo.cfg');
      await writeFile(config, [...baseConfig(port, join(dataDir, 'data')), 'initLimit=10', 'syncLimit=5', ...serverLines].join('\n'));
      return startProcess({
        name: `zookeeper ${i + 1}`,
        command: 'java',
        args: ['-Xmx256m', '-cp', ZOOKEEPER_CLASSPATH, `-Dzookeeper.log.dir=${dataDir}`, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', config],
        ready: async () => /Mode: (leader|follower)/.test(await fourLetterWord(port, 'srvr')),
        readyTimeoutMs: 90_000,
      });
    }),
  );
  return {
    ports,
    connectString: ports.map((port) => `127.0.0.1:${port}`).join(','),
    stop: async () => {
      await Promise.all(processes.map((process) => process.stop()));
      await rm(root, { recursive: true, force: true });
    },
  };
}

const ZOOKEEPER_CLASSPATH = '/etc/zookeeper/conf:/usr/share/java/zookeeper.jar';

function baseConfig(port: number, dataDir: string): string[] {
  // extendedTypesEnabled allows TTL nodes, which Barista supports, so differential runs can use them.
  return [`tickTime=2000`, `dataDir=${dataDir}`, `clientPort=${port}`, `clientPortAddress=127.0.0.1`, `admin.enableServer=false`, `4lw.commands.whitelist=*`, `maxClientCnxns=0`, 'extendedTypesEnabled=true'];
}

export async function startZooKeeper(): Promise<RunningZooKeeper> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'barista-zk-'));
  const config = join(dataDir, 'zoo.cfg');
  await writeFile(config, baseConfig(port, join(dataDir, 'data')).join('\n'));
  const managed = await startProcess({
    name: 'zookeeper',
    command: 'java',
    args: ['-Xmx512m', '-cp', ZOOKEEPER_CLASSPATH, `-Dzookeeper.log.dir=${dataDir}`, '-Dzookeeper.extendedTypesEnabled=true', 'org.apache.zookeeper.server.ZooKeeperServerMain', config],
    // ruok answers imok before the server serves; srvr tells the truth.
    ready: async () => (await fourLetterWord(port, 'srvr')).includes('Mode: standalone'),
    readyTimeoutMs: 60_000,
  });
  return {
    port,
    dataDir,
    process: managed,
    stop: async () => {
      await managed.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
