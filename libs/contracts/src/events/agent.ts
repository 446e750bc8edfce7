import { z } from 'zod';
import { AuthMode, Id, Name, NotRespondingReason, PhoneNumber, PlainText, Reason, Timestamp } from '../common.js';
import { defineEvent, type EventOf } from '../define-event.js';

const agent = <T extends string, D extends z.ZodType>(type: T, description: string, data: D) =>
  defineEvent('agent', type, 1, description, data);

/** Phone 1, and phone 2 in pool mode: the same softphone number on two gateways. */
export const PhoneId = z.union([z.literal(1), z.literal(2)]);
export type PhoneId = z.infer<typeof PhoneId>;

export const UnregisterReason = z.enum(['sign-out', 'webrtc-disabled', 'tenant-suspended', 'no-longer-eligible']);
export const RegistrationTrigger = z.enum(['sign-in', 'manual', 'retry', 'gateways-changed', 'webrtc-enabled', 'tenant-resumed']);

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
  softphoneRegistrationRequested: defineEvent(
    'agent',
    'agent.softphone-registration-requested',
    2,
    'The listed phones are registering against their gateways. Their password derives from credentialId, which the two pool phones share: a registration of every phone issues a new one, one phone registering again (or joining in pool mode) keeps it.',
    z.object({
      agentId: Id,
      credentialId: Id,
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
  becameRinging: agent(
    'agent.became-ringing',
    "A call was placed by the agent or offered to it: the agent's phone rings and the agent is reserved for that call.",
    z.object({ agentId: Id, callId: Id }),
  ),
  becameOccupied: agent('agent.became-occupied', 'The agent is talking on a call.', z.object({ agentId: Id, callId: Id })),
  becameIdle: agent(
    'agent.became-idle',
    "The agent's call is over for it (ended, or taken back to its queue); wrap-up or not-responding may follow.",
    z.object({ agentId: Id, callId: Id }),
  ),
  wrapUpStarted: agent(
    'agent.wrap-up-started',
    'After-call work until `until`: the agent takes no call meanwhile.',
    z.object({ agentId: Id, callId: Id, until: Timestamp }),
  ),
  wrapUpEnded: agent('agent.wrap-up-ended', 'Wrap-up is over.', z.object({ agentId: Id, callId: Id })),
  becameNotResponding: agent(
    'agent.became-not-responding',
    "The agent's softphone did not confirm media after an auto-answer, or never answered an outbound call: no call is routed to it until it is made available again.",
    z.object({ agentId: Id, callId: Id, reason: NotRespondingReason }),
  ),
  madeAvailable: agent('agent.made-available', 'A not-responding agent was made available again.', z.object({ agentId: Id })),
  softphoneReachable: agent(
    'agent.softphone-reachable',
    "The agent's softphone sends heartbeats again (or for the first time since sign-in).",
    z.object({ agentId: Id, heartbeatAt: Timestamp }),
  ),
  softphoneUnreachable: agent(
    'agent.softphone-unreachable',
    "No heartbeat from the agent's softphone for three periods: no call is routed to it until the next heartbeat.",
    z.object({ agentId: Id, lastHeartbeatAt: Timestamp }),
  ),
};

export type AgentEvent = EventOf<typeof agentEvents>;
