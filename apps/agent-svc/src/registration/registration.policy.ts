import type { AgentEvent, Gateway } from '@softphone/contracts';
import { DomainError } from '@softphone/errors';
import type { AgentState, PhoneId, PhoneStatus } from '../agents/agent.decider.js';

/** What the agent's tenant allows, from tenant-svc's events (gathered by the command handler). */
export interface TenantFacts {
  status: 'normal' | 'suspended';
  webRtcEnabled: boolean;
  gateways: Gateway[];
  poolMode: boolean;
  softphoneUnifiedAuthentication: boolean;
}

export type RegistrationTrigger = Extract<AgentEvent, { type: 'agent.softphone-registration-requested' }>['data']['trigger'];

const refuse = (code: string, message: string) => new DomainError(code, message);

/**
 * The guide's conditions for the WebRTC phone: "The tenant status is normal", WebRTC enabled, and the agent
 * "has not been bound to a fixed-line phone or mobile phone" and "has been bound to voice-related skill queues
 * (including voice, video, voice click-to-dial, and video click-to-dial skill queues)".
 */
export function assertCanUseWebRtc(state: AgentState, tenant: TenantFacts): void {
  if (tenant.status !== 'normal') throw refuse('TENANT_SUSPENDED', 'the tenant is suspended');
  if (!tenant.webRtcEnabled) throw refuse('WEBRTC_NOT_ENABLED', 'WebRTC is not enabled for the tenant');
  if (state.boundPhone)
    throw refuse('AGENT_BOUND_TO_PHONE', `the agent is bound to a ${state.boundPhone.kind} phone and cannot use the WebRTC phone`);
  if (!state.hasVoiceRelatedQueue) {
    throw refuse('NO_VOICE_SKILL_QUEUE', 'the agent is bound to no voice-related skill queue (voice, video, voice or video click-to-dial)');
  }
}

export function canUseWebRtc(state: AgentState, tenant: TenantFacts): boolean {
  try {
    assertCanUseWebRtc(state, tenant);
    return true;
  } catch {
    return false;
  }
}

/** The phones of the tenant's layout. Guide: "In pool mode, there are two phones". */
export const layoutPhones = (tenant: TenantFacts): PhoneId[] => (tenant.poolMode ? [1, 2] : [1]);

/** A phone the agent holds (registering, registered, or down with a failure): signing out or losing WebRTC unregisters it. */
export const holdsPhone = (status: PhoneStatus | undefined) => status !== undefined && status !== 'unregistered';
export const holdsAnyPhone = (state: AgentState) => Object.values(state.phones).some(holdsPhone);
/** A phone that works or is about to. */
export const isWorking = (status: PhoneStatus | undefined) => status === 'registering' || status === 'registered';

/**
 * A registration of `phones`, phone n on gateway n. Guide: "In pool mode, there are two phones that share the
 * same password." Issue 10: "The two phones of an agent share one password at every moment: after a retry, a
 * gateway change, or pool mode being switched on." So the password's credential is new only when every phone
 * of the layout registers at once (sign-in, Register, new gateways); one phone registering again, or phone 2
 * joining when pool mode starts, keeps the credential the other phone holds.
 */
export function registrationOf(
  state: AgentState,
  tenant: TenantFacts,
  phones: PhoneId[],
  trigger: RegistrationTrigger,
  newCredentialId: string,
): AgentEvent {
  const everyPhone = layoutPhones(tenant).every((id) => phones.includes(id));
  const credentialId = everyPhone || !state.credentialId ? newCredentialId : state.credentialId;
  return {
    type: 'agent.softphone-registration-requested',
    data: {
      agentId: state.agentId!,
      credentialId,
      trigger,
      phones: phones.map((phoneId) => {
        const gateway = tenant.gateways[phoneId - 1] ?? tenant.gateways[0];
        return { phoneId, number: state.softphoneNumber, gatewayId: gateway.gatewayId, gatewayAddress: gateway.address };
      }),
    },
  };
}

/** Guide: "If the registration is successful, the status of the two phones is registered." */
export const isRegistered = (layout: ReadonlyArray<{ status: PhoneStatus }>) => layout.every((p) => p.status === 'registered');

/**
 * The phones showing the failure indicator, with why. Guide: it "is displayed if the WebRTC phone fails to be
 * registered, or the WebRTC phone is registered successfully and then deregistered".
 */
export function phonesDown(
  layout: ReadonlyArray<{ phoneId: number; status: PhoneStatus }>,
  reasons: Readonly<Record<string, string>>,
): Array<{ phoneId: number; status: 'failed' | 'deregistered'; reason: string }> {
  return layout.flatMap((p) =>
    p.status === 'failed' || p.status === 'deregistered'
      ? [{ phoneId: p.phoneId, status: p.status, reason: reasons[String(p.phoneId)] ?? '' }]
      : [],
  );
}
