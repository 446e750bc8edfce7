import { randomUUID } from 'node:crypto';
import type { DomainEvent, QualitySample } from '@softphone/contracts';
import { publishUpstream, testEnv } from '@softphone/testing';

/**
 * Samples of one call, one per second from `start`: the remote end sends 50
 * packets a second and lost(i) of those of second i do not arrive.
 */
export function samplesFrom(
  start: Date,
  count: number,
  options: { lost?: (i: number) => number; jitterMs?: number; rttMs?: number; firstIndex?: number } = {},
): QualitySample[] {
  const samples: QualitySample[] = [];
  let received = 0;
  let sent = 0;
  for (let i = 0; i < count; i++) {
    if (i > 0) {
      sent += 50;
      received += 50 - (options.lost?.(i) ?? 0);
    }
    samples.push({
      at: new Date(start.getTime() + i * 1000).toISOString(),
      packetsReceived: received,
      packetsSent: sent,
      jitterMs: options.jitterMs ?? 2,
      rttMs: options.rttMs ?? 30,
    });
  }
  return samples.slice(options.firstIndex ?? 0);
}

/** 2 of 50 packets lost every second: 4 %, Table 1's poor level from the very first second. */
export const poorLine = { lost: () => 2 };

/** Plays tenant-svc, agent-svc and call-svc on the test's topics. */
export function upstream(prefix: string, tenantId: string) {
  let version = 0;
  const play = (streamId: string, ...events: DomainEvent[]) =>
    publishUpstream(
      prefix,
      events.map((event) => ({ event, tenantId, streamId, streamVersion: ++version })),
    );
  return {
    parameters: (notifyOuManagersOnPoorNetwork: boolean) =>
      play(`tenant-${tenantId}`, {
        type: 'tenant.parameters-changed',
        data: { tenantId, notifyOuManagersOnPoorNetwork, softphoneUnifiedAuthentication: false },
      }),
    orgUnit: (orgUnitId: string, parentOrgUnitId: string | null, manager?: { managerId: string; email: string }) =>
      play(
        `tenant-${tenantId}`,
        { type: 'tenant.org-unit-created', data: { orgUnitId, name: `OU ${orgUnitId}`, parentOrgUnitId } },
        ...(manager
          ? [
              {
                type: 'tenant.org-unit-manager-assigned' as const,
                data: { orgUnitId, manager: { ...manager, name: `Manager ${manager.managerId}` } },
              },
            ]
          : []),
      ),
    agent: (agentId: string, orgUnitId: string) =>
      play(`agent-${agentId}`, {
        type: 'agent.created',
        data: { agentId, orgUnitId, name: `Agent ${agentId}`, workNumber: '1001', softphoneNumber: '+3312345678', authMode: 'uap' },
      }),
    connected: (callId: string, agentId: string) =>
      play(`call-${callId}`, {
        type: 'call.connected',
        data: {
          callId,
          agentId,
          phoneId: 1,
          direction: 'inbound',
          answeredBy: 'auto-answer',
          media: 'voice',
          at: new Date().toISOString(),
        },
      }),
    ended: (callId: string, agentId: string | null) =>
      play(`call-${callId}`, {
        type: 'call.ended',
        data: { callId, agentId, direction: 'inbound', endedBy: 'customer', reason: 'hang-up', talkSeconds: 10, totalSeconds: 12 },
      }),
  };
}

export interface SinkMail {
  subject: string;
  text: string;
  headers: Record<string, string>;
}

/** Mail the SMTP sink received for one address (each test uses addresses of its own). */
export async function mailTo(address: string): Promise<SinkMail[]> {
  const response = await fetch(`${testEnv.mailApiUrl}/api/email?to.address=${encodeURIComponent(address)}`);
  if (!response.ok) throw new Error(`mail sink answered ${response.status}`);
  return (await response.json()) as SinkMail[];
}

export const uniqueId = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;
