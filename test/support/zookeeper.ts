/** A real ZooKeeper 3.8 server (Debian package `zookeeper`), standalone, on a free loopback port. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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

/** Sends a four-letter word and returns the whole answer. */
export async function fourLetterWord(port: number, word: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ port, host: '127.0.0.1' }, () => socket.write(word));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.once('end', () => resolve(Buffer.concat(chunks).toString()));
    socket.once('error', reject);
  });
}

export async function startZooKeeper(): Promise<RunningZooKeeper> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'barista-zk-'));
  const config = join(dataDir, 'zoo.cfg');
  await writeFile(
    config,
    [`tickTime=2000`, `dataDir=${join(dataDir, 'data')}`, `clientPort=${port}`, `clientPortAddress=127.0.0.1`, `admin.enableServer=false`, `4lw.commands.whitelist=*`, `maxClientCnxns=0`].join('\n'),
  );
  const managed = await startProcess({
    name: 'zookeeper',
    command: 'java',
    args: ['-Xmx512m', '-cp', '/etc/zookeeper/conf:/usr/share/java/zookeeper.jar', `-Dzookeeper.log.dir=${dataDir}`, 'org.apache.zookeeper.server.ZooKeeperServerMain', config],
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
