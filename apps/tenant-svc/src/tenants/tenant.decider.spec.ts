import { describe, it } from '@jest/globals';
import type { TenantEvent } from '@softphone/contracts';
import { deciderSpec } from '@softphone/testing';
import { tenantDecider } from './tenant.decider.js';

const spec = deciderSpec(tenantDecider);
const tenantId = 't1';
const gw1 = { gatewayId: 'gw1', address: 'wss://gw1.example:8443' };
const gw2 = { gatewayId: 'gw2', address: 'wss://gw2.example:8443' };

const created = (poolMode = false): TenantEvent => ({ type: 'tenant.created', data: { tenantId, name: 'Acme', poolMode } });
const enabled = (...gateways: (typeof gw1)[]): TenantEvent => ({
  type: 'tenant.webrtc-enabled',
  data: { tenantId, registrationServerType: 'webRTC', gateways },
});
const suspended: TenantEvent = { type: 'tenant.suspended', data: { tenantId, reason: 'unpaid' } };

describe('tenant decider', () => {
  describe('create', () => {
    it('creates a tenant in normal status', () =>
      spec.given([]).when({ type: 'CreateTenant', tenantId, name: 'Acme', poolMode: false }).then([created()]));
    it('refuses to create it twice', () =>
      spec
        .given([created()])
        .when({ type: 'CreateTenant', tenantId, name: 'Acme', poolMode: false })
        .thenFails('TENANT_ALREADY_EXISTS', { status: 409 }));
    it('answers 404 for any other command on a tenant that does not exist', () =>
      spec
        .given([])
        .when({ type: 'EnableWebRtc', tenantId, gateways: [gw1] })
        .thenFails('TENANT_NOT_FOUND', { status: 404 }));
  });

  describe('enable WebRTC (prerequisite: status normal, WebRTC not yet enabled)', () => {
    it('enables it with webRTC as the registration server type and the gateways', () =>
      spec
        .given([created()])
        .when({ type: 'EnableWebRtc', tenantId, gateways: [gw1] })
        .then([enabled(gw1)]));
    it('refuses a suspended tenant', () =>
      spec
        .given([created(), suspended])
        .when({ type: 'EnableWebRtc', tenantId, gateways: [gw1] })
        .thenFails('TENANT_NOT_NORMAL', { status: 409 }));
    it('refuses to enable it twice', () =>
      spec
        .given([created(), enabled(gw1)])
        .when({ type: 'EnableWebRtc', tenantId, gateways: [gw1] })
        .thenFails('WEBRTC_ALREADY_ENABLED', { status: 409 }));
    it('refuses a pool-mode tenant with one gateway', () =>
      spec
        .given([created(true)])
        .when({ type: 'EnableWebRtc', tenantId, gateways: [gw1] })
        .thenFails('POOL_MODE_NEEDS_TWO_GATEWAYS', { status: 422, field: 'gateways' }));
    it('accepts a pool-mode tenant with two gateways', () =>
      spec
        .given([created(true)])
        .when({ type: 'EnableWebRtc', tenantId, gateways: [gw1, gw2] })
        .then([enabled(gw1, gw2)]));
    it('can be enabled again after a resume', () =>
      spec
        .given([created(), suspended, { type: 'tenant.resumed', data: { tenantId } }])
        .when({ type: 'EnableWebRtc', tenantId, gateways: [gw1] })
        .then([enabled(gw1)]));
  });

  describe('disable WebRTC and change gateways', () => {
    it('disables it', () =>
      spec
        .given([created(), enabled(gw1)])
        .when({ type: 'DisableWebRtc', tenantId })
        .then([{ type: 'tenant.webrtc-disabled', data: { tenantId } }]));
    it('refuses to disable it when not enabled', () =>
      spec.given([created()]).when({ type: 'DisableWebRtc', tenantId }).thenFails('WEBRTC_NOT_ENABLED'));
    it('changes the gateways', () =>
      spec
        .given([created(), enabled(gw1)])
        .when({ type: 'ChangeGateways', tenantId, gateways: [gw2] })
        .then([{ type: 'tenant.webrtc-gateways-changed', data: { tenantId, gateways: [gw2] } }]));
    it('does nothing when the gateways are the same', () =>
      spec
        .given([created(), enabled(gw1)])
        .when({ type: 'ChangeGateways', tenantId, gateways: [gw1] })
        .then([]));
    it('refuses fewer than two gateways in pool mode', () =>
      spec
        .given([created(true), enabled(gw1, gw2)])
        .when({ type: 'ChangeGateways', tenantId, gateways: [gw2] })
        .thenFails('POOL_MODE_NEEDS_TWO_GATEWAYS'));
    it('refuses gateway changes while WebRTC is disabled', () =>
      spec
        .given([created()])
        .when({ type: 'ChangeGateways', tenantId, gateways: [gw1] })
        .thenFails('WEBRTC_NOT_ENABLED'));
  });

  describe('pool mode, status and parameters', () => {
    it('refuses pool mode for a WebRTC tenant with a single gateway', () =>
      spec
        .given([created(), enabled(gw1)])
        .when({ type: 'ChangePoolMode', tenantId, poolMode: true })
        .thenFails('POOL_MODE_NEEDS_TWO_GATEWAYS'));
    it('switches to pool mode when there are two gateways', () =>
      spec
        .given([created(), enabled(gw1, gw2)])
        .when({ type: 'ChangePoolMode', tenantId, poolMode: true })
        .then([{ type: 'tenant.pool-mode-changed', data: { tenantId, poolMode: true } }]));
    it('suspends and refuses to suspend twice', () => {
      spec.given([created()]).when({ type: 'SuspendTenant', tenantId, reason: 'unpaid' }).then([suspended]);
      spec.given([created(), suspended]).when({ type: 'SuspendTenant', tenantId, reason: null }).thenFails('TENANT_ALREADY_SUSPENDED');
    });
    it('refuses to resume a normal tenant', () =>
      spec.given([created()]).when({ type: 'ResumeTenant', tenantId }).thenFails('TENANT_NOT_SUSPENDED'));
    it('changes parameters, and does nothing when they are unchanged (default: no internal messages)', () => {
      const parameters = { notifyOuManagersOnPoorNetwork: true, softphoneUnifiedAuthentication: false };
      spec
        .given([created()])
        .when({ type: 'ChangeParameters', tenantId, parameters })
        .then([{ type: 'tenant.parameters-changed', data: { tenantId, ...parameters } }]);
      spec
        .given([created()])
        .when({
          type: 'ChangeParameters',
          tenantId,
          parameters: { notifyOuManagersOnPoorNetwork: false, softphoneUnifiedAuthentication: false },
        })
        .then([]);
    });
    it('changes how agents take calls (defaults: a 5 s auto-answer guard, wrap-up off), once', () => {
      // Issue 10: "within a bound after the auto-answer (default 5 s, tenant parameter)", "wrap-up ... (default 0 = off)".
      const callHandling = { autoAnswerGuardSeconds: 8, ringTimeoutSeconds: 20, wrapUpSeconds: 15 };
      spec
        .given([created()])
        .when({ type: 'ChangeCallHandling', tenantId, callHandling })
        .then([{ type: 'tenant.call-handling-changed', data: { tenantId, ...callHandling } }]);
      spec
        .given([created()])
        .when({
          type: 'ChangeCallHandling',
          tenantId,
          callHandling: { autoAnswerGuardSeconds: 5, ringTimeoutSeconds: 30, wrapUpSeconds: 0 },
        })
        .then([]);
      spec.given([]).when({ type: 'ChangeCallHandling', tenantId, callHandling }).thenFails('TENANT_NOT_FOUND');
    });
  });
});
