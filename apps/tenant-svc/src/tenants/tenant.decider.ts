import { CALL_HANDLING_DEFAULTS, type CallHandlingParameters, type Gateway, type TenantEvent } from '@softphone/contracts';
import type { Decider } from '@softphone/decider';
import { DomainError, NotFoundError } from '@softphone/errors';

export interface TenantParameters {
  notifyOuManagersOnPoorNetwork: boolean;
  softphoneUnifiedAuthentication: boolean;
}

export type TenantCommand = { tenantId: string } & (
  | { type: 'CreateTenant'; name: string; poolMode: boolean }
  | { type: 'SuspendTenant'; reason: string | null }
  | { type: 'ResumeTenant' }
  | { type: 'ChangePoolMode'; poolMode: boolean }
  | { type: 'EnableWebRtc'; gateways: Gateway[] }
  | { type: 'DisableWebRtc' }
  | { type: 'ChangeGateways'; gateways: Gateway[] }
  | { type: 'ChangeParameters'; parameters: TenantParameters }
  | { type: 'ChangeCallHandling'; callHandling: CallHandlingParameters }
);

export interface TenantState {
  tenantId: string | null;
  status: 'normal' | 'suspended';
  poolMode: boolean;
  webRtc: { enabled: boolean; gateways: Gateway[] };
  parameters: TenantParameters;
  callHandling: CallHandlingParameters;
}

export const DEFAULT_PARAMETERS: TenantParameters = { notifyOuManagersOnPoorNetwork: false, softphoneUnifiedAuthentication: false };

const initialState: TenantState = {
  tenantId: null,
  status: 'normal',
  poolMode: false,
  webRtc: { enabled: false, gateways: [] },
  parameters: DEFAULT_PARAMETERS,
  callHandling: { ...CALL_HANDLING_DEFAULTS },
};

/** The guide: in CTI pool mode agents need more than one WebRTC gateway. */
function assertGatewaysFit(poolMode: boolean, gateways: Gateway[]): void {
  if (poolMode && gateways.length < 2) {
    throw new DomainError('POOL_MODE_NEEDS_TWO_GATEWAYS', 'a call center in CTI pool mode needs more than one WebRTC gateway', {
      status: 422,
      field: 'gateways',
    });
  }
}

const sameGateways = (a: Gateway[], b: Gateway[]) => JSON.stringify(a) === JSON.stringify(b);

function decide(command: TenantCommand, state: TenantState): TenantEvent[] {
  if (command.type === 'CreateTenant') {
    if (state.tenantId) throw new DomainError('TENANT_ALREADY_EXISTS', `tenant ${state.tenantId} already exists`);
    return [{ type: 'tenant.created', data: { tenantId: command.tenantId, name: command.name, poolMode: command.poolMode } }];
  }
  const { tenantId } = command;
  if (!state.tenantId) throw new NotFoundError('tenant', tenantId);
  switch (command.type) {
    case 'SuspendTenant':
      if (state.status === 'suspended') throw new DomainError('TENANT_ALREADY_SUSPENDED', 'the tenant is already suspended');
      return [{ type: 'tenant.suspended', data: { tenantId, reason: command.reason } }];
    case 'ResumeTenant':
      if (state.status === 'normal') throw new DomainError('TENANT_NOT_SUSPENDED', 'the tenant is not suspended');
      return [{ type: 'tenant.resumed', data: { tenantId } }];
    case 'ChangePoolMode':
      if (command.poolMode === state.poolMode) return [];
      if (state.webRtc.enabled) assertGatewaysFit(command.poolMode, state.webRtc.gateways);
      return [{ type: 'tenant.pool-mode-changed', data: { tenantId, poolMode: command.poolMode } }];
    case 'EnableWebRtc':
      if (state.status !== 'normal') {
        throw new DomainError('TENANT_NOT_NORMAL', 'WebRTC can only be enabled for a tenant whose status is normal');
      }
      if (state.webRtc.enabled) throw new DomainError('WEBRTC_ALREADY_ENABLED', 'WebRTC is already enabled for this tenant');
      assertGatewaysFit(state.poolMode, command.gateways);
      return [{ type: 'tenant.webrtc-enabled', data: { tenantId, registrationServerType: 'webRTC', gateways: command.gateways } }];
    case 'DisableWebRtc':
      if (!state.webRtc.enabled) throw new DomainError('WEBRTC_NOT_ENABLED', 'WebRTC is not enabled for this tenant');
      return [{ type: 'tenant.webrtc-disabled', data: { tenantId } }];
    case 'ChangeGateways':
      if (!state.webRtc.enabled) throw new DomainError('WEBRTC_NOT_ENABLED', 'WebRTC is not enabled for this tenant');
      assertGatewaysFit(state.poolMode, command.gateways);
      if (sameGateways(command.gateways, state.webRtc.gateways)) return [];
      return [{ type: 'tenant.webrtc-gateways-changed', data: { tenantId, gateways: command.gateways } }];
    case 'ChangeParameters':
      if (JSON.stringify(command.parameters) === JSON.stringify(state.parameters)) return [];
      return [{ type: 'tenant.parameters-changed', data: { tenantId, ...command.parameters } }];
    case 'ChangeCallHandling':
      // Issue 10: the auto-answer guard (default 5 s), the ring timeout and wrap-up (default 0 = off) are tenant parameters.
      if (JSON.stringify(command.callHandling) === JSON.stringify(state.callHandling)) return [];
      return [{ type: 'tenant.call-handling-changed', data: { tenantId, ...command.callHandling } }];
  }
}

function evolve(state: TenantState, event: TenantEvent): TenantState {
  switch (event.type) {
    case 'tenant.created':
      return { ...state, tenantId: event.data.tenantId, poolMode: event.data.poolMode };
    case 'tenant.suspended':
      return { ...state, status: 'suspended' };
    case 'tenant.resumed':
      return { ...state, status: 'normal' };
    case 'tenant.pool-mode-changed':
      return { ...state, poolMode: event.data.poolMode };
    case 'tenant.webrtc-enabled':
      return { ...state, webRtc: { enabled: true, gateways: event.data.gateways } };
    case 'tenant.webrtc-disabled':
      return { ...state, webRtc: { enabled: false, gateways: [] } };
    case 'tenant.webrtc-gateways-changed':
      return { ...state, webRtc: { enabled: true, gateways: event.data.gateways } };
    case 'tenant.parameters-changed':
      return {
        ...state,
        parameters: {
          notifyOuManagersOnPoorNetwork: event.data.notifyOuManagersOnPoorNetwork,
          softphoneUnifiedAuthentication: event.data.softphoneUnifiedAuthentication,
        },
      };
    case 'tenant.call-handling-changed': {
      const { autoAnswerGuardSeconds, ringTimeoutSeconds, wrapUpSeconds } = event.data;
      return { ...state, callHandling: { autoAnswerGuardSeconds, ringTimeoutSeconds, wrapUpSeconds } };
    }
    default:
      return state;
  }
}

export const tenantDecider: Decider<TenantCommand, TenantEvent, TenantState> = { initialState, decide, evolve };

export const tenantStream = (tenantId: string) => `tenant-${tenantId}`;
