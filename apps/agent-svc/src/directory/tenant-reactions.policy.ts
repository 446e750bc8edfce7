import type { TenantEvent } from '@softphone/contracts';

/** What agent-svc does to the tenant's agents about a fact of tenant-svc, once its facts hold it. */
export type TenantReaction =
  /** Every phone of the agents holding one is unregistered. */
  | { kind: 'unregister-phones'; reason: 'webrtc-disabled' | 'tenant-suspended' }
  /** The agents holding phones register them again, on the new gateways. */
  | { kind: 'register-on-new-gateways' }
  /** Phone 2 joins (pool mode on) or is let go (off). */
  | { kind: 'apply-pool-mode' }
  /** Signed-in agents without a working phone register without doing anything. */
  | { kind: 'register-automatically'; trigger: 'webrtc-enabled' | 'tenant-resumed' };

/**
 * The reactions to tenant-svc's events. WebRTC disabled or the tenant suspended
 * unregisters the phones; new gateways make them register again; pool mode
 * adds or lets go phone 2. Issue 10: "registration happens as soon as the fact
 * arrives (and after a suspended tenant is resumed or WebRTC is enabled again,
 * signed-in agents are registered automatically)".
 */
export function reactionsTo(event: TenantEvent): TenantReaction[] {
  switch (event.type) {
    case 'tenant.suspended':
      return [{ kind: 'unregister-phones', reason: 'tenant-suspended' }];
    case 'tenant.webrtc-disabled':
      return [{ kind: 'unregister-phones', reason: 'webrtc-disabled' }];
    case 'tenant.webrtc-gateways-changed':
      return [{ kind: 'register-on-new-gateways' }];
    case 'tenant.pool-mode-changed':
      return [{ kind: 'apply-pool-mode' }];
    case 'tenant.webrtc-enabled':
      return [{ kind: 'register-automatically', trigger: 'webrtc-enabled' }];
    case 'tenant.resumed':
      return [{ kind: 'register-automatically', trigger: 'tenant-resumed' }];
    default:
      return [];
  }
}
