import { randomUUID } from 'node:crypto';
import kafkajs, { type Kafka as KafkaClient, type KafkaConfig } from 'kafkajs';
import { topics as topicsOf } from '@softphone/contracts';
import { collect, kafkaCredentials, testEnv, testKafka } from '@softphone/testing';
import type { Services, TenantWorld } from './world.js';

export interface KafkaAttackOutcome {
  kind: string;
  target: string;
  succeeded: boolean;
  detail: string;
}

// kafkajs is CommonJS: its enums are not named exports at run time.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, logLevel, Partitioners, ResourcePatternTypes } = kafkajs;

const QUICK: Partial<KafkaConfig> = { retry: { retries: 0 }, connectionTimeout: 3_000, requestTimeout: 5_000 };

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${(error as { type?: string }).type ?? error.message}` : String(error);

/** Produces one message; 'delivered' or why the broker refused. */
async function produce(kafka: KafkaClient, topic: string, value: string): Promise<string> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  try {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'attack', value }] });
    return 'delivered';
  } catch (error) {
    return describe(error);
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

/** Reads a topic (which has messages) in a group: 'read' when a message arrived, otherwise why not. */
async function consume(kafka: KafkaClient, topic: string, groupId: string): Promise<string> {
  const consumer = kafka.consumer({ groupId, retry: { retries: 0 }, sessionTimeout: 6_000, heartbeatInterval: 1_000 });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve('nothing read in 8 s'), 8_000);
      consumer.on(consumer.events.CRASH, (event) => {
        clearTimeout(timer);
        resolve(describe(event.payload.error));
      });
      consumer
        .run({
          eachMessage: async () => {
            clearTimeout(timer);
            resolve('read');
          },
        })
        .catch((error: unknown) => resolve(describe(error)));
    });
  } catch (error) {
    return describe(error);
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

/**
 * The Kafka attacks: clients without or with wrong credentials, gateways
 * writing for another tenant (by topic, or by a forged tenant in the payload),
 * gateways and services writing or reading topics that are not theirs, joining
 * another service's consumer group, creating topics or granting themselves
 * ACLs. Tenant A's gateway principal is gateway-1, tenant B's gateway-2.
 */
export async function kafkaAttacks(services: Services, prefix: string, a: TenantWorld, b: TenantWorld): Promise<KafkaAttackOutcome[]> {
  const t = topicsOf(prefix);
  const outcomes: KafkaAttackOutcome[] = [];
  const refused = (kind: string, target: string, detail: string) =>
    outcomes.push({ kind, target, succeeded: detail === 'delivered' || detail === 'read', detail });
  const as = (principal: string) => testKafka(principal, testEnv.kafkaBrokers, QUICK);
  const forgedManager = JSON.stringify({
    id: randomUUID(),
    type: 'tenant.org-unit-manager-assigned',
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    tenantId: b.resources.tenantId,
    streamId: `org-unit-${b.resources.tenantId}:${b.resources.orgUnitId}`,
    streamVersion: 99,
    correlationId: randomUUID(),
    causationId: null,
    data: { orgUnitId: b.resources.orgUnitId, manager: { managerId: 'attacker', name: 'Attacker', email: 'attacker@example.com' } },
  });
  const samplesFor = (tenantId: string | undefined, callId: string) =>
    JSON.stringify({
      ...(tenantId ? { tenantId } : {}),
      calls: [
        {
          callId,
          samples: [0, 1, 2].map((s) => ({
            at: new Date(Date.now() - (3 - s) * 1000).toISOString(),
            packetsReceived: s * 10,
            packetsSent: s * 100,
            jitterMs: 500,
            rttMs: 3000,
          })),
        },
      ],
    });

  const anonymous = new Kafka({ clientId: 'anonymous', brokers: testEnv.kafkaBrokers, logLevel: logLevel.NOTHING, ...QUICK });
  const admin = anonymous.admin();
  refused(
    'unauthenticated client',
    'list topics',
    await admin.connect().then(() => admin.listTopics().then(() => 'read', describe), describe),
  );
  await admin.disconnect().catch(() => undefined);
  refused(
    'unauthenticated client',
    t.qualitySamples(a.resources.tenantId),
    await produce(anonymous, t.qualitySamples(a.resources.tenantId), samplesFor(undefined, 'x')),
  );
  const wrongPassword = new Kafka({
    clientId: 'wrong-password',
    brokers: testEnv.kafkaBrokers,
    sasl: { mechanism: 'scram-sha-512', username: 'tenant-svc', password: `${(await kafkaCredentials('tenant-svc')).password}x` },
    logLevel: logLevel.NOTHING,
    ...QUICK,
  });
  refused('wrong password (tenant-svc)', t.events('tenant'), await produce(wrongPassword, t.events('tenant'), forgedManager));

  const gatewayA = await as('gateway-1');
  const gatewayB = await as('gateway-2');
  refused(
    "tenant A's gateway producing to tenant B's samples topic",
    t.qualitySamples(b.resources.tenantId),
    await produce(gatewayA, t.qualitySamples(b.resources.tenantId), samplesFor(undefined, b.resources.callId)),
  );
  refused(
    "tenant B's gateway producing to tenant A's samples topic",
    t.qualitySamples(a.resources.tenantId),
    await produce(gatewayB, t.qualitySamples(a.resources.tenantId), samplesFor(undefined, a.resources.callId)),
  );
  refused(
    'a gateway forging a manager assignment of tenant B',
    t.events('tenant'),
    await produce(gatewayA, t.events('tenant'), forgedManager),
  );

  // Tenant A's gateway on its own topic, claiming tenant B in the payload: delivered, but dead-lettered, and B's call untouched.
  const bQuality = async () =>
    JSON.stringify((await services.quality.get(`/calls/${b.resources.callId}/quality/history`, await b.token('tenant-admin'))).body);
  const before = await bQuality();
  const delivered = await produce(gatewayA, t.qualitySamples(a.resources.tenantId), samplesFor(b.resources.tenantId, b.resources.callId));
  const dead = await collect(
    t.deadLetter('quality-svc.samples'),
    (messages) => messages.some((m) => m.headers['dlq-error']?.includes(`claims tenant ${b.resources.tenantId}`)),
    { timeoutMs: 30_000 },
  ).then(
    () => true,
    () => false,
  );
  const untouched = (await bQuality()) === before;
  outcomes.push({
    kind: "tenant A's gateway claiming tenant B in a sample's payload",
    target: t.qualitySamples(a.resources.tenantId),
    succeeded: !(delivered === 'delivered' && dead && untouched),
    detail: `${delivered}; dead-lettered: ${dead}; tenant B's call untouched: ${untouched}`,
  });

  const foreignWrites: Array<[string, Parameters<typeof t.events>[0]]> = [
    ['call-svc', 'tenant'],
    ['agent-svc', 'call'],
    ['quality-svc', 'agent'],
    ['tenant-svc', 'quality'],
    ['edge-svc', 'tenant'],
  ];
  for (const [service, topic] of foreignWrites) {
    refused(
      `${service} writing a topic it does not own`,
      t.events(topic),
      await produce(await as(service), t.events(topic), forgedManager),
    );
  }

  const gatewayAdmin = gatewayA.admin();
  await gatewayAdmin.connect();
  refused(
    'a gateway creating a topic',
    `${prefix}softphone.attack`,
    await gatewayAdmin.createTopics({ topics: [{ topic: `${prefix}softphone.attack` }] }).then(() => 'delivered', describe),
  );
  refused(
    'a gateway granting itself the tenant topic',
    t.events('tenant'),
    await gatewayAdmin
      .createAcls({
        acl: [
          {
            resourceType: AclResourceTypes.TOPIC,
            resourceName: t.events('tenant'),
            resourcePatternType: ResourcePatternTypes.LITERAL,
            principal: 'User:gateway-1',
            host: '*',
            operation: AclOperationTypes.WRITE,
            permissionType: AclPermissionTypes.ALLOW,
          },
        ],
      })
      .then(() => 'delivered', describe),
  );
  await gatewayAdmin.disconnect();

  refused(
    'a gateway reading the tenant events',
    t.events('tenant'),
    await consume(gatewayA, t.events('tenant'), `${prefix}gateway-1.read`),
  );
  refused(
    'a gateway reading back its own samples',
    t.qualitySamples(a.resources.tenantId),
    await consume(gatewayA, t.qualitySamples(a.resources.tenantId), `${prefix}gateway-1.read`),
  );
  refused(
    'tenant-svc reading a topic it does not consume',
    t.events('agent'),
    await consume(await as('tenant-svc'), t.events('agent'), `${prefix}tenant-svc.read`),
  );
  refused(
    "agent-svc joining quality-svc's consumer group",
    t.events('call'),
    await consume(await as('agent-svc'), t.events('call'), `${prefix}quality-svc.directory`),
  );
  return outcomes;
}
