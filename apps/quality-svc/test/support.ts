import { expect } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { DataOf, DomainEvent, PoorReason, QualityEvent, QualitySample } from '@softphone/contracts';
import { PostgresEventStore } from '@softphone/event-store';
import type { TestService } from '@softphone/service-testing';
import { eventually, publishUpstream, testEnv } from '@softphone/testing';
import { callQualityStream } from '../src/call-quality/call-quality.decider.js';

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
    arrived: (callId: string) =>
      play(`call-${callId}`, {
        type: 'call.arrived',
        data: { callId, caller: '+33100000001', dialed: '+33100000002', media: 'voice', at: new Date().toISOString() },
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

export type WentPoor = DataOf<QualityEvent, 'quality.call-went-poor'>;

/** 4 % of the audio the agent receives lost: Table 1's poor level. */
export const lossReason: PoorReason = { reason: 'loss', kind: 'audio', side: 'agent-receive', value: 0.04 };

/** A quality.call-went-poor of the call at `second`, the agent known to the meter or not. */
export function poorCall(callId: string, agentId: string | null, second: Date, reasons: PoorReason[] = [lossReason]): WentPoor {
  return {
    callId,
    agentId,
    second: second.toISOString(),
    rule: { poorSeconds: 3, ofLastSeconds: 5 },
    level: 'poor',
    reasons,
    metrics: { lossRate: 0.04, jitterMs: 2, oneWayDelayMs: 15, mos: 3.2 },
  };
}

/**
 * Plays the metering: appends quality.call-went-poor to the call's quality
 * stream in the instance's event store; its relay publishes it on the quality
 * events topic, where the manager messages react to it.
 */
export async function goPoor(svc: TestService, tenantId: string, wentPoor: WentPoor): Promise<string> {
  const streamId = callQualityStream(tenantId, wentPoor.callId);
  const [event] = await svc.app.get(PostgresEventStore).transaction(async (uow) => {
    const version = (await uow.readStream(streamId)).at(-1)?.streamVersion ?? 0;
    return uow.append(streamId, version, [{ type: 'quality.call-went-poor', data: wentPoor }], { tenantId, correlationId: randomUUID() });
  });
  return event.id;
}

/** Waits until the manager messages' reaction has processed these events (their processed-message records). */
export async function reactedTo(svc: TestService, eventIds: readonly string[]): Promise<void> {
  await eventually(async () => {
    const rows = await svc.app
      .get(PostgresEventStore)
      .sql.rows(`SELECT 1 FROM inbox WHERE consumer LIKE '%manager-messages' AND message_id = ANY($1)`, [eventIds]);
    expect(rows).toHaveLength(eventIds.length);
  });
}
