/**
 * The connection behind `barista topics` and `barista groups`: a kafkajs admin client (so the
 * commands work against any Kafka broker, not only ours), the flags that choose the broker and
 * SASL credentials, and the translation of kafkajs errors into one line the user can act on.
 * Expected failures become LogAdminCommandError; barista.ts prints its message without a stack.
 */
import { Option, type Command } from 'commander';
import { Kafka, logLevel, type Admin, type SASLOptions } from 'kafkajs';

export const DEFAULT_BOOTSTRAP_SERVER = '127.0.0.1:9092';
/** A broker that does not accept the connection by then counts as down (kafkajs defaults to 1 s, too short for a loaded machine). */
export const CONNECTION_TIMEOUT_MS = 2_000;
export const REQUEST_TIMEOUT_MS = 10_000;
/**
 * kafkajs retries retriable failures; its default (5 retries, up to 30 s apart) would leave the
 * user staring at a silent terminal for half a minute when the broker is down.
 */
const RETRY = { retries: 2, initialRetryTime: 200, maxRetryTime: 1_000 };
const CLIENT_ID = 'barista-admin';
const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

export type LogAdminFailure =
  | 'BAD_FLAGS'
  | 'BROKER_UNREACHABLE'
  | 'AUTHENTICATION_FAILED'
  | 'TOPIC_NOT_FOUND'
  | 'TOPIC_EXISTS'
  | 'GROUP_NOT_FOUND'
  | 'GROUP_NOT_EMPTY'
  | 'REQUEST_FAILED';

export class LogAdminCommandError extends Error {
  constructor(
    readonly code: LogAdminFailure,
    message: string,
  ) {
    super(message);
    this.name = 'LogAdminCommandError';
  }
}

export interface KafkaAdminOptions {
  bootstrapServer: string;
  saslMechanism?: (typeof SASL_MECHANISMS)[number];
  user?: string;
  password?: string;
}

/** The flags every topics/groups subcommand shares; on the parent, so they may come before or after the subcommand. */
export function addConnectionOptions(command: Command): Command {
  return command
    .option('--bootstrap-server <host:port>', 'broker(s) to ask, comma-separated', DEFAULT_BOOTSTRAP_SERVER)
    .addOption(new Option('--sasl-mechanism <mechanism>', 'authenticate with SASL').choices(SASL_MECHANISMS))
    .option('--user <name>', 'SASL user')
    .option('--password <secret>', 'SASL password');
}

function brokersOf(bootstrapServer: string): string[] {
  const brokers = bootstrapServer.split(',').map((address) => address.trim()).filter((address) => address !== '');
  for (const address of brokers) {
    if (!/^[^:\s]+:\d+$/.test(address)) throw new LogAdminCommandError('BAD_FLAGS', `--bootstrap-server expects host:port[,host:port...], got "${address}"`);
  }
  if (brokers.length === 0) throw new LogAdminCommandError('BAD_FLAGS', '--bootstrap-server is empty: give host:port');
  return brokers;
}

function saslOf(options: KafkaAdminOptions): SASLOptions | undefined {
  if (options.saslMechanism === undefined) {
    if (options.user !== undefined || options.password !== undefined) throw new LogAdminCommandError('BAD_FLAGS', '--user and --password need --sasl-mechanism plain|scram-sha-256|scram-sha-512');
    return undefined;
  }
  if (options.user === undefined || options.password === undefined) throw new LogAdminCommandError('BAD_FLAGS', `--sasl-mechanism ${options.saslMechanism} needs --user and --password`);
  return { mechanism: options.saslMechanism, username: options.user, password: options.password } as SASLOptions;
}

/** Connects an admin client, runs `use`, disconnects; any kafkajs failure comes out as a LogAdminCommandError. */
export async function withAdmin<T>(options: KafkaAdminOptions, use: (admin: Admin) => Promise<T>): Promise<T> {
  const sasl = saslOf(options);
  const kafka = new Kafka({
    clientId: CLIENT_ID,
    brokers: brokersOf(options.bootstrapServer),
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    retry: RETRY,
    logLevel: logLevel.NOTHING,
    ...(sasl === undefined ? {} : { sasl }),
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    return await use(admin);
  } catch (error) {
    throw explainKafkaError(error, options.bootstrapServer);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

interface KafkaJSErrorShape {
  name?: string;
  message?: string;
  type?: string;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown[];
}

/** The error and the errors it wraps (kafkajs nests the real failure inside retry and aggregate errors). */
function chainOf(error: unknown): KafkaJSErrorShape[] {
  const chain: KafkaJSErrorShape[] = [];
  const pending: unknown[] = [error];
  while (pending.length > 0 && chain.length < 16) {
    const next = pending.shift();
    if (typeof next !== 'object' || next === null) continue;
    const shape = next as KafkaJSErrorShape;
    chain.push(shape);
    pending.push(shape.cause, shape.originalError, ...(shape.errors ?? []));
  }
  return chain;
}

const UNREACHABLE = new Set(['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError', 'KafkaJSBrokerNotFound', 'KafkaJSNoBrokerAvailableError']);

export function explainKafkaError(error: unknown, bootstrapServer: string): Error {
  if (error instanceof LogAdminCommandError) return error;
  const chain = chainOf(error);
  const authentication = chain.find((link) => link.name === 'KafkaJSSASLAuthenticationError');
  if (authentication !== undefined) return new LogAdminCommandError('AUTHENTICATION_FAILED', `SASL authentication with ${bootstrapServer} failed: ${authentication.message ?? 'rejected'}; check --sasl-mechanism, --user and --password`);
  const protocol = chain.find((link) => typeof link.type === 'string');
  if (protocol !== undefined) return new LogAdminCommandError('REQUEST_FAILED', `the broker refused: ${protocol.type} (${protocol.message ?? ''})`);
  if (chain.some((link) => UNREACHABLE.has(link.name ?? '') || /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|timed out|Connection timeout/i.test(link.message ?? ''))) {
    return new LogAdminCommandError('BROKER_UNREACHABLE', `cannot reach a broker at ${bootstrapServer} (${chain[chain.length - 1]?.message ?? 'no answer'}); is it running? pass --bootstrap-server host:port`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** The kafkajs protocol error (type e.g. TOPIC_ALREADY_EXISTS, and its explanation) inside `error`, if any. */
export function protocolErrorOf(error: unknown): { type: string; message: string } | undefined {
  const link = chainOf(error).find((candidate) => typeof candidate.type === 'string');
  return link === undefined ? undefined : { type: link.type!, message: link.message ?? '' };
}

export function protocolErrorType(error: unknown): string | undefined {
  return protocolErrorOf(error)?.type;
}
