import { z } from 'zod';
import { CallHandlingParameters, Gateway, Name, Reason } from '@softphone/contracts';

export const CreateTenantBody = z.strictObject({
  name: Name,
  poolMode: z.boolean().default(false).describe('the call center runs in CTI pool mode'),
});

const Gateways = z
  .array(Gateway)
  .min(1)
  .max(16)
  .refine((list) => new Set(list.map((g) => g.gatewayId)).size === list.length, 'gateway ids must be unique')
  .refine((list) => new Set(list.map((g) => g.address)).size === list.length, 'gateway addresses must be unique');

export const EnableWebRtcBody = z.strictObject({
  registrationServerType: z.literal('webRTC').describe('agent registration server type'),
  gateways: Gateways.describe('agent registration servers: the WebRTC gateways'),
});

export const GatewaysBody = z.strictObject({ gateways: Gateways });

export const PoolModeBody = z.strictObject({ poolMode: z.boolean() });

export const SuspendBody = z.strictObject({ reason: Reason.nullable().default(null) });

export const ParametersBody = z.strictObject({
  notifyOuManagersOnPoorNetwork: z.boolean().describe('send internal messages when the WebRTC network is abnormal'),
  softphoneUnifiedAuthentication: z.boolean().describe('softphone number unified authentication'),
});

export const CallHandlingBody = CallHandlingParameters.strict();
