/** `barista nimbus`: the topology master; several may run, one leads (elected through coord). */
import { resolve } from 'node:path';
import type { Logger } from '../telemetry/logger.js';
import { Nimbus } from '../topology/cluster/nimbus.js';

export interface NimbusCommandOptions {
  coord: string;
  dataDir?: string;
  coordSessionTimeout?: number;
}

export async function runNimbus(options: NimbusCommandOptions, logger: Logger): Promise<Nimbus> {
  const dataDir = resolve(options.dataDir ?? '.barista/nimbus');
  const nimbus = await Nimbus.start({ coord: options.coord, dataDir, logger, ...(options.coordSessionTimeout !== undefined ? { sessionTimeoutMs: options.coordSessionTimeout } : {}) });
  logger.info({ coord: options.coord, dataDir, leading: nimbus.isLeader }, 'nimbus ready');
  process.stdout.write(`nimbus ready\n`);
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    void nimbus.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return nimbus;
}
