/**
 * The questions `barista up` asks before it calls a cluster ready, each through the service's own
 * protocol: every coord server grants a session; the brokers' metadata lists all N brokers;
 * every serving node answers PING; the serving nodes, supervisors and nimbuses have registered in
 * coord. Each probe answers true or false (an error means "not yet": the service may still be
 * binding its port); the launcher polls them.
 */
import net from 'node:net';
import { CoordClient } from '../coord/client/coord-client.js';
import { KafkaConnection } from '../log/client/kafka-connection.js';
import { ApiKey } from '../log/protocol/index.js';
import { BROKER_IDS_PATH } from '../log/broker/registration.js';
import { NODES_PATH as SERVING_NODES_PATH } from '../../serving/node/membership.js';
import { NIMBUS_ELECTION_PATH, SUPERVISORS_PATH } from '../topology/cluster/layout.js';
import type { ClusterPlan, PlannedService } from './up-plan.js';

/** One probe's connect or request gives up after this long; the launcher retries. */
export const PROBE_TIMEOUT_MS = 2_000;
/** The readiness session is closed right after: keep it short so a crash of up does not leave it long. */
const PROBE_SESSION_TIMEOUT_MS = 6_000;
const METADATA_VERSION = 4;

async function withCoord<T>(connectString: string, use: (client: CoordClient) => Promise<T>): Promise<T> {
  const client = await CoordClient.connect(connectString, { connectTimeoutMs: PROBE_TIMEOUT_MS, sessionTimeoutMs: PROBE_SESSION_TIMEOUT_MS });
  try {
    return await use(client);
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** The coord server grants a session (which takes an elected leader). */
export async function coordServerReady(address: string): Promise<boolean> {
  return withCoord(address, async () => true);
}

async function childCount(client: CoordClient, path: string): Promise<number> {
  try {
    return (await client.getChildren(path)).length;
  } catch {
    return 0; // not created yet
  }
}

export interface Registrations {
  brokers: number;
  servingNodes: number;
  supervisors: number;
  nimbuses: number;
}

export function registrations(coordConnect: string): Promise<Registrations> {
  return withCoord(coordConnect, async (client) => ({
    brokers: await childCount(client, BROKER_IDS_PATH),
    servingNodes: await childCount(client, SERVING_NODES_PATH),
    supervisors: await childCount(client, SUPERVISORS_PATH),
    nimbuses: await childCount(client, NIMBUS_ELECTION_PATH),
  }));
}

/** How many brokers this broker's metadata lists. */
export async function brokersKnownTo(address: string): Promise<number> {
  const [host = '', port = ''] = address.split(':');
  const connection = new KafkaConnection({ host, port: Number(port) }, 'barista-up', { requestTimeoutMs: PROBE_TIMEOUT_MS });
  try {
    const response = await connection.request(ApiKey.Metadata, METADATA_VERSION, { topics: [], allowAutoTopicCreation: false });
    return response.brokers.length;
  } finally {
    await connection.close();
  }
}

/** A Redis-protocol PING answered with +PONG. */
export function answersPing(address: string): Promise<boolean> {
  const [host = '', port = ''] = address.split(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    let reply = '';
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** Is this one service ready? Registrations are checked once for the whole cluster (see below). */
export async function serviceAnswers(service: PlannedService, plan: ClusterPlan): Promise<boolean> {
  switch (service.kind) {
    case 'coord':
      return coordServerReady(service.address);
    case 'broker':
      return (await brokersKnownTo(service.address)) === plan.nodes;
    case 'serve':
      return answersPing(service.address);
    default:
      return true; // nimbus and supervisors have no port of their own: see registrationsComplete
  }
}

/** Which kinds of service have not all registered in coord yet (empty: all have). */
export function missingRegistrations(found: Registrations, plan: ClusterPlan): string[] {
  const nimbuses = plan.services.filter((service) => service.kind === 'nimbus').length;
  const missing: string[] = [];
  if (found.brokers < plan.nodes) missing.push(`brokers ${found.brokers}/${plan.nodes}`);
  if (found.servingNodes < plan.nodes) missing.push(`serving nodes ${found.servingNodes}/${plan.nodes}`);
  if (found.supervisors < plan.nodes) missing.push(`supervisors ${found.supervisors}/${plan.nodes}`);
  if (found.nimbuses < nimbuses) missing.push(`nimbuses ${found.nimbuses}/${nimbuses}`);
  return missing;
}
