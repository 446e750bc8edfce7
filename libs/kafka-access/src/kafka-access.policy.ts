import { EVENT_TOPICS, topics as topicsOf, type EventTopic } from '@softphone/contracts';

/**
 * Who may do what on Kafka: the ACLs of every principal, as data. The broker
 * denies whatever is not granted here (allow.everyone.if.no.acl.found=false).
 *
 * - Each service writes only its own events topic and its dead-letter topics,
 *   reads the events topics it consumes, and joins only its own consumer groups
 *   (`<prefix><service>.<purpose>`).
 * - edge-svc (the browser edge) reads every events topic and the seconds topic, in its own groups, and writes
 *   nothing.
 * - quality-svc alone writes the seconds topic (measured seconds for live charts): the edge trusts the tenant a
 *   message names because no one else can write there.
 * - A gateway writes only the samples topic of the tenant it is bound to
 *   (`softphone.quality.samples.<tenantId>`); quality-svc reads every samples
 *   topic and takes the tenant from the topic, so a gateway can never speak for
 *   another tenant whatever its messages claim.
 * - `admin` (super user) provisions topics and these ACLs; nothing else runs as it.
 */

export type AclOperation = 'read' | 'write' | 'create' | 'describe';

export interface AclResource {
  kind: 'topic' | 'group';
  /** A full name (literal) or the start of names (prefixed). */
  name: string;
  pattern: 'literal' | 'prefixed';
}

export interface AclGrant {
  principal: string;
  resource: AclResource;
  operations: AclOperation[];
}

interface ServiceAccess {
  /** The events topic the service's relay writes (it may create it). */
  produces: EventTopic | null;
  consumes: readonly EventTopic[];
  readsSamples: boolean;
  /** The ephemeral seconds topic (`softphone.quality.seconds`): its one writer, or a reader. */
  seconds: 'write' | 'read' | null;
  deadLetters: boolean;
}

/** Each service principal (the Kafka user is the service's name) and what it needs. */
export const SERVICE_ACCESS: Readonly<Record<string, ServiceAccess>> = {
  'tenant-svc': { produces: 'tenant', consumes: [], readsSamples: false, seconds: null, deadLetters: true },
  'agent-svc': { produces: 'agent', consumes: ['tenant', 'call'], readsSamples: false, seconds: null, deadLetters: true },
  'call-svc': { produces: 'call', consumes: ['tenant', 'agent'], readsSamples: false, seconds: null, deadLetters: true },
  // quality-svc reads its own events topic too: the OU managers' messages react to quality.call-went-poor.
  'quality-svc': {
    produces: 'quality',
    consumes: ['tenant', 'agent', 'call', 'quality'],
    readsSamples: true,
    seconds: 'write',
    deadLetters: true,
  },
  'edge-svc': { produces: null, consumes: EVENT_TOPICS, readsSamples: false, seconds: 'read', deadLetters: false },
};

export const SERVICE_PRINCIPALS = Object.keys(SERVICE_ACCESS);

const topic = (name: string, pattern: AclResource['pattern'] = 'literal'): AclResource => ({ kind: 'topic', name, pattern });

/** The ACLs of every service principal in an environment (topic prefix). */
export function serviceGrants(prefix: string): AclGrant[] {
  const t = topicsOf(prefix);
  return Object.entries(SERVICE_ACCESS).flatMap(([principal, access]) => {
    const grants: AclGrant[] = [];
    const grant = (resource: AclResource, operations: AclOperation[]) => grants.push({ principal, resource, operations });
    if (access.produces) grant(topic(t.events(access.produces)), ['write', 'create', 'describe']);
    for (const consumed of access.consumes) grant(topic(t.events(consumed)), ['read', 'describe']);
    // quality-svc reads the samples topics, and writes there the samples posted to its HTTP API (creating the topic of a
    // tenant without gateway), so that a call's meter has one writer: the owner of the call's partition.
    if (access.readsSamples) grant(topic(t.qualitySamplesPrefix, 'prefixed'), ['read', 'write', 'create', 'describe']);
    if (access.seconds) grant(topic(t.qualitySeconds), access.seconds === 'write' ? ['write', 'describe'] : ['read', 'describe']);
    if (access.deadLetters) grant(topic(t.deadLetter(`${principal}.`), 'prefixed'), ['write', 'create', 'describe']);
    if (access.consumes.length > 0 || access.readsSamples)
      grant({ kind: 'group', name: `${prefix}${principal}.`, pattern: 'prefixed' }, ['read', 'describe']);
    return grants;
  });
}

/** The one grant of a gateway principal: write its tenant's samples topic. */
export function gatewayGrants(prefix: string, principal: string, tenantId: string): AclGrant[] {
  if (SERVICE_PRINCIPALS.includes(principal) || principal === 'admin') {
    throw new Error(`${principal} is a service or the admin, not a gateway`);
  }
  return [{ principal, resource: topic(topicsOf(prefix).qualitySamples(tenantId)), operations: ['write', 'describe'] }];
}
