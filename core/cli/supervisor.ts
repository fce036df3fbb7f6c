/** `barista supervisor`: offers worker slots on this host and runs the workers nimbus assigns to them. */
import { resolve } from 'node:path';
import type { Logger } from '../telemetry/logger.js';
import { InvalidClusterOptionError } from '../topology/cluster/errors.js';
import { Supervisor } from '../topology/cluster/supervisor.js';

export interface SupervisorCommandOptions {
  coord: string;
  slots: number;
  host: string;
  /** Comma-separated slot ports; default: --slots ports from --first-port. */
  slotPorts?: string;
  firstPort: number;
  id?: string;
  dataDir?: string;
  coordSessionTimeout?: number;
}

export function slotPortsOf(options: Pick<SupervisorCommandOptions, 'slots' | 'slotPorts' | 'firstPort'>): number[] {
  if (options.slotPorts === undefined) return Array.from({ length: options.slots }, (_, index) => options.firstPort + index);
  const ports = options.slotPorts.split(',').map((port) => Number(port.trim()));
  if (ports.some((port) => !Number.isInteger(port) || port <= 0 || port > 65_535)) throw new InvalidClusterOptionError('--slot-ports', `expected comma-separated ports, got '${options.slotPorts}'`);
  return ports;
}

export async function runSupervisor(options: SupervisorCommandOptions, logger: Logger): Promise<Supervisor> {
  const slotPorts = slotPortsOf(options);
  const id = options.id ?? `${options.host}-${slotPorts[0]}`;
  const dataDir = resolve(options.dataDir ?? `.barista/supervisor-${id}`);
  const supervisor = await Supervisor.start({ coord: options.coord, id, host: options.host, slotPorts, dataDir, logger, ...(options.coordSessionTimeout !== undefined ? { sessionTimeoutMs: options.coordSessionTimeout } : {}) });
  logger.info({ id, slotPorts, dataDir }, 'supervisor ready');
  process.stdout.write(`supervisor ${id} ready\n`);
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: stopping workers');
    void supervisor.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return supervisor;
}
