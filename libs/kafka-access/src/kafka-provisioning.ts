import kafkajs, { type AclEntry, type Admin } from 'kafkajs';
import { topics as topicsOf } from '@softphone/contracts';
import { gatewayGrants, serviceGrants, type AclGrant, type AclOperation } from './kafka-access.policy.js';
import { kafkaSecurity, type KafkaCredentials } from './kafka-security.js';

// kafkajs is CommonJS: its enums are not named exports at run time.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, logLevel, ResourcePatternTypes } = kafkajs;

/** How to reach the brokers as the admin principal (the only one allowed to grant). */
export interface KafkaAdminConnection {
  brokers: string[];
  credentials: KafkaCredentials | null;
  tls?: false | { ca: string | null };
}

const OPERATIONS: Record<AclOperation, kafkajs.AclOperationTypes> = {
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  create: AclOperationTypes.CREATE,
  describe: AclOperationTypes.DESCRIBE,
};

/** One kafkajs ACL entry per operation of a grant. */
export function aclEntries(grants: AclGrant[]): AclEntry[] {
  return grants.flatMap(({ principal, resource, operations }) =>
    operations.map((operation) => ({
      principal: `User:${principal}`,
      host: '*',
      resourceType: resource.kind === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
      resourceName: resource.name,
      resourcePatternType: resource.pattern === 'literal' ? ResourcePatternTypes.LITERAL : ResourcePatternTypes.PREFIXED,
      operation: OPERATIONS[operation],
      permissionType: AclPermissionTypes.ALLOW,
    })),
  );
}

async function asAdmin<T>(connection: KafkaAdminConnection, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka({
    clientId: 'softphone-provisioning',
    brokers: connection.brokers,
    ...kafkaSecurity(connection),
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 3_000 },
  }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

async function createMissingTopics(admin: Admin, names: string[], partitions: number, retentionMs: string): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = names.filter((name) => !existing.has(name));
  if (missing.length === 0) return;
  await admin.createTopics({
    // Leaders are awaited below, asking again while a broker does not know the topic yet.
    waitForLeaders: false,
    topics: missing.map((topic) => ({
      topic,
      numPartitions: partitions,
      replicationFactor: -1,
      configEntries: [{ name: 'retention.ms', value: retentionMs }],
    })),
  });
  await waitForLeaders(admin, missing);
}

/**
 * Every partition of the topics has a leader. In a cluster, a broker may not
 * know a topic the controller just created ("does not host this
 * topic-partition"), which kafkajs' own wait does not retry: ask again.
 */
async function waitForLeaders(admin: Admin, topics: string[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics });
      if (metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (attempt >= 100) throw error;
    }
    if (attempt >= 100) throw new Error(`topics without leaders after 20 s: ${topics.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** How long measured seconds stay on the seconds topic: live charts only, an hour is plenty. */
const SECONDS_RETENTION_MS = String(3600 * 1000);

/**
 * Makes an environment (a topic prefix) usable by the services: its events
 * topics (infinite retention: they are the history read models are rebuilt
 * from), the seconds topic (an hour) and every service principal's ACLs. Idempotent.
 */
export async function provisionEnvironment(
  connection: KafkaAdminConnection,
  { prefix, partitions }: { prefix: string; partitions: number },
): Promise<void> {
  await asAdmin(connection, async (admin) => {
    const names = topicsOf(prefix);
    await createMissingTopics(admin, names.all(), partitions, '-1');
    await createMissingTopics(admin, [names.qualitySeconds], partitions, SECONDS_RETENTION_MS);
    await admin.createAcls({ acl: aclEntries(serviceGrants(prefix)) });
  });
}

/** How long samples stay on a tenant's samples topic: telemetry, a day is plenty to catch up. */
export const SAMPLES_RETENTION_MS = 24 * 3600 * 1000;

/**
 * Binds a gateway principal to a tenant: creates the tenant's samples topic
 * and lets the principal write it (and nothing else). Idempotent.
 */
export async function provisionGateway(
  connection: KafkaAdminConnection,
  { prefix, principal, tenantId, partitions }: { prefix: string; principal: string; tenantId: string; partitions: number },
): Promise<void> {
  await asAdmin(connection, async (admin) => {
    await createMissingTopics(admin, [topicsOf(prefix).qualitySamples(tenantId)], partitions, String(SAMPLES_RETENTION_MS));
    await admin.createAcls({ acl: aclEntries(gatewayGrants(prefix, principal, tenantId)) });
  });
}

/** Takes a gateway's grant on a tenant away (the principal's credentials are removed with Kafka's own tooling). */
export async function revokeGateway(
  connection: KafkaAdminConnection,
  { prefix, principal, tenantId }: { prefix: string; principal: string; tenantId: string },
): Promise<void> {
  await asAdmin(connection, async (admin) => {
    await admin.deleteAcls({ filters: aclEntries(gatewayGrants(prefix, principal, tenantId)) });
  });
}
