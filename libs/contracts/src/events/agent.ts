import { z } from 'zod';
import { AuthMode, Id, Name, PhoneNumber, PlainText, Reason } from '../common.js';
import { defineEvent, type EventOf } from '../define-event.js';

const agent = <T extends string, D extends z.ZodType>(type: T, description: string, data: D) =>
  defineEvent('agent', type, 1, description, data);

/** Phone 1, and phone 2 in pool mode: the same softphone number on two gateways. */
export const PhoneId = z.union([z.literal(1), z.literal(2)]);
export type PhoneId = z.infer<typeof PhoneId>;

export const UnregisterReason = z.enum(['sign-out', 'webrtc-disabled', 'tenant-suspended', 'no-longer-eligible']);
export const RegistrationTrigger = z.enum(['sign-in', 'manual', 'retry', 'gateways-changed']);

export const agentEvents = {
  created: agent(
    'agent.created',
    'An agent in an org unit, with a work number, a softphone number and an authentication mode.',
    z.object({
      agentId: Id,
      orgUnitId: Id,
      name: Name,
      workNumber: z.string().regex(/^[0-9]{1,10}$/),
      softphoneNumber: PhoneNumber,
      authMode: AuthMode,
    }),
  ),
  phoneBound: agent(
    'agent.phone-bound',
    'The agent was bound to a fixed-line or mobile phone: it cannot use the WebRTC phone.',
    z.object({ agentId: Id, kind: z.enum(['fixed-line', 'mobile']), number: PhoneNumber }),
  ),
  phoneUnbound: agent('agent.phone-unbound', 'The fixed-line or mobile phone was unbound.', z.object({ agentId: Id })),
  skillQueuesBound: agent(
    'agent.skill-queues-bound',
    'The complete set of skill queues the agent serves, and which of them are voice-related (the WebRTC phone needs one).',
    z.object({ agentId: Id, skillQueueIds: z.array(Id), voiceRelatedSkillQueueIds: z.array(Id) }),
  ),
  authModeChanged: agent('agent.auth-mode-changed', 'Authentication mode changed.', z.object({ agentId: Id, authMode: AuthMode })),
  signedIn: agent('agent.signed-in', 'The agent signed in.', z.object({ agentId: Id })),
  signedOut: agent('agent.signed-out', 'The agent signed out.', z.object({ agentId: Id })),
  softphoneRegistrationRequested: agent(
    'agent.softphone-registration-requested',
    'Credentials were issued and the listed phones are registering against their gateways.',
    z.object({
      agentId: Id,
      trigger: RegistrationTrigger,
      phones: z
        .array(z.object({ phoneId: PhoneId, number: PhoneNumber, gatewayId: Id, gatewayAddress: PlainText }))
        .min(1)
        .max(2),
    }),
  ),
  softphoneRegistered: agent(
    'agent.softphone-registered',
    'The gateway confirmed the registration of one phone.',
    z.object({ agentId: Id, phoneId: PhoneId }),
  ),
  softphoneRegistrationFailed: agent(
    'agent.softphone-registration-failed',
    'The registration of one phone failed; it can be registered again on its own.',
    z.object({ agentId: Id, phoneId: PhoneId, reason: Reason.min(1) }),
  ),
  softphoneDeregistered: agent(
    'agent.softphone-deregistered',
    'A phone that was registered is no longer (reported by the gateway).',
    z.object({ agentId: Id, phoneId: PhoneId, reason: Reason.min(1) }),
  ),
  softphonesUnregistered: agent(
    'agent.softphones-unregistered',
    'Every phone of the agent is unregistered (sign-out, WebRTC disabled, tenant suspended...).',
    z.object({ agentId: Id, reason: UnregisterReason }),
  ),
  becameOccupied: agent('agent.became-occupied', 'The agent is talking on a call.', z.object({ agentId: Id, callId: Id })),
  becameIdle: agent('agent.became-idle', 'The call ended; the agent is idle.', z.object({ agentId: Id, callId: Id })),
};

export type AgentEvent = EventOf<typeof agentEvents>;
