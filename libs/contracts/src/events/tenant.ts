import { z } from 'zod';
import { AccessCode, Email, Gateway, Id, Name, Reason, SkillQueueMediaType } from '../common.js';
import { defineEvent, type EventOf } from '../define-event.js';

const tenant = <T extends string, D extends z.ZodType>(type: T, description: string, data: D) =>
  defineEvent('tenant', type, 1, description, data);

/** Tenant parameters on how agents take calls; a tenant that never set them has the defaults. */
export const CALL_HANDLING_DEFAULTS = { autoAnswerGuardSeconds: 5, ringTimeoutSeconds: 30, wrapUpSeconds: 0 } as const;
export const CallHandlingParameters = z.object({
  autoAnswerGuardSeconds: z
    .number()
    .int()
    .min(1)
    .max(60)
    .describe("how long after an auto-answer the agent's softphone has to confirm media before the call goes back to its queue"),
  ringTimeoutSeconds: z
    .number()
    .int()
    .min(5)
    .max(300)
    .describe("how long the agent's own phone rings for an outbound call before the agent counts as not responding"),
  wrapUpSeconds: z.number().int().min(0).max(3600).describe('after-call work after each talking call, in seconds (0: off)'),
});
export type CallHandlingParameters = z.infer<typeof CallHandlingParameters>;

export const tenantEvents = {
  created: tenant(
    'tenant.created',
    'A tenant was created, status normal. poolMode: its call center runs in CTI pool mode.',
    z.object({ tenantId: Id, name: Name, poolMode: z.boolean() }),
  ),
  suspended: tenant(
    'tenant.suspended',
    'The tenant is suspended: WebRTC phones must unregister, no calls.',
    z.object({ tenantId: Id, reason: Reason.nullable() }),
  ),
  resumed: tenant('tenant.resumed', 'The tenant is back to normal status.', z.object({ tenantId: Id })),
  poolModeChanged: tenant(
    'tenant.pool-mode-changed',
    'The call center switched into or out of CTI pool mode.',
    z.object({ tenantId: Id, poolMode: z.boolean() }),
  ),
  webRtcEnabled: tenant(
    'tenant.webrtc-enabled',
    'A system admin enabled WebRTC, with webRTC as the agent registration server type and its gateways.',
    z.object({
      tenantId: Id,
      registrationServerType: z.literal('webRTC'),
      gateways: z.array(Gateway).min(1),
    }),
  ),
  webRtcDisabled: tenant('tenant.webrtc-disabled', 'WebRTC was disabled for the tenant.', z.object({ tenantId: Id })),
  webRtcGatewaysChanged: tenant(
    'tenant.webrtc-gateways-changed',
    'The WebRTC gateways (agent registration servers) changed; phones must re-register.',
    z.object({ tenantId: Id, gateways: z.array(Gateway).min(1) }),
  ),
  parametersChanged: tenant(
    'tenant.parameters-changed',
    'Tenant parameters, always the complete set.',
    z.object({
      tenantId: Id,
      notifyOuManagersOnPoorNetwork: z.boolean(),
      softphoneUnifiedAuthentication: z.boolean(),
    }),
  ),
  callHandlingChanged: tenant(
    'tenant.call-handling-changed',
    'Tenant parameters on how agents take calls (auto-answer guard, ring timeout, wrap-up), always the complete set.',
    z.object({ tenantId: Id }).extend(CallHandlingParameters.shape),
  ),
  orgUnitCreated: tenant(
    'tenant.org-unit-created',
    'An org unit was created under a parent (null: a root unit).',
    z.object({ orgUnitId: Id, name: Name, parentOrgUnitId: Id.nullable() }),
  ),
  orgUnitManagerAssigned: tenant(
    'tenant.org-unit-manager-assigned',
    'The manager of an org unit, who receives its internal messages.',
    z.object({
      orgUnitId: Id,
      manager: z.object({ managerId: Id, name: Name, email: Email }),
    }),
  ),
  skillQueueCreated: tenant(
    'tenant.skill-queue-created',
    'A skill queue with its media type and an access code unique in the tenant.',
    z.object({ skillQueueId: Id, name: Name, mediaType: SkillQueueMediaType, accessCode: AccessCode }),
  ),
  ivrCreated: tenant(
    'tenant.ivr-created',
    'An IVR access code: callers hear an announcement, then are transferred to a skill queue.',
    z.object({
      ivrId: Id,
      name: Name,
      accessCode: AccessCode,
      announcementSeconds: z.number().min(0).max(600),
      skillQueueId: Id,
    }),
  ),
};

export type TenantEvent = EventOf<typeof tenantEvents>;
