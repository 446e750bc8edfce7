import { Injectable } from '@nestjs/common';
import { PostgresEventStore, type Sql } from '@softphone/event-store';
import { NotFoundError } from '@softphone/errors';
import type { CallHandlingParameters, Gateway } from '@softphone/contracts';

export interface TenantView {
  tenantId: string;
  name: string;
  status: 'normal' | 'suspended';
  poolMode: boolean;
  webRtc: { enabled: boolean; registrationServerType: 'webRTC' | null; gateways: Gateway[] };
  parameters: { notifyOuManagersOnPoorNetwork: boolean; softphoneUnifiedAuthentication: boolean };
  /** How agents take calls: the auto-answer guard, the ring timeout of outbound calls, wrap-up after each call. */
  callHandling: CallHandlingParameters;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  tenant_id: string;
  name: string;
  status: 'normal' | 'suspended';
  pool_mode: boolean;
  webrtc_enabled: boolean;
  gateways: Gateway[];
  notify_ou_managers_on_poor_network: boolean;
  softphone_unified_authentication: boolean;
  auto_answer_guard_seconds: number;
  ring_timeout_seconds: number;
  wrap_up_seconds: number;
  created_at: Date;
  updated_at: Date;
}

const toView = (r: Row): TenantView => ({
  tenantId: r.tenant_id,
  name: r.name,
  status: r.status,
  poolMode: r.pool_mode,
  webRtc: { enabled: r.webrtc_enabled, registrationServerType: r.webrtc_enabled ? 'webRTC' : null, gateways: r.gateways },
  parameters: {
    notifyOuManagersOnPoorNetwork: r.notify_ou_managers_on_poor_network,
    softphoneUnifiedAuthentication: r.softphone_unified_authentication,
  },
  callHandling: {
    autoAnswerGuardSeconds: r.auto_answer_guard_seconds,
    ringTimeoutSeconds: r.ring_timeout_seconds,
    wrapUpSeconds: r.wrap_up_seconds,
  },
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

@Injectable()
export class TenantsQuery {
  constructor(private readonly store: PostgresEventStore) {}

  async get(tenantId: string): Promise<TenantView> {
    const [row] = await this.store.sql.rows<Row>('SELECT * FROM tenants_view WHERE tenant_id = $1', [tenantId]);
    if (!row) throw new NotFoundError('tenant', tenantId);
    return toView(row);
  }

  async list(): Promise<TenantView[]> {
    return (await this.store.sql.rows<Row>('SELECT * FROM tenants_view ORDER BY created_at, tenant_id')).map(toView);
  }
}

/**
 * 404 TENANT_NOT_FOUND unless the tenant exists. Commands on a tenant's org
 * units, skill queues and IVRs pass their transaction's sql.
 */
export async function assertTenantExists(sql: Sql, tenantId: string): Promise<void> {
  const [row] = await sql.rows('SELECT 1 FROM tenants_view WHERE tenant_id = $1', [tenantId]);
  if (!row) throw new NotFoundError('tenant', tenantId);
}
