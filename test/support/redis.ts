/** A real redis-server (Debian package) on a free loopback port, with persistence off. */
import { connect } from 'node:net';
import { freePort } from './ports.js';
import { startProcess, type ManagedProcess } from './processes.js';

export interface RunningRedis {
  port: number;
  process: ManagedProcess;
  stop(): Promise<void>;
}

async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => socket.write('PING\r\n'));
    socket.once('data', (data) => (socket.destroy(), resolve(data.toString().startsWith('+PONG'))));
    socket.once('error', () => resolve(false));
  });
}

export async function startRedisServer(): Promise<RunningRedis> {
  const port = await freePort();
  const managed = await startProcess({
    name: 'redis-server',
    command: 'redis-server',
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    ready: () => answersPing(port),
  });
  return { port, process: managed, stop: () => managed.stop() };
}
