import { Module, type DynamicModule } from '@nestjs/common';
import {
  EventSourcingModule,
  HttpApiModule,
  MessagingModule,
  RedisModule,
  ServiceCoreModule,
  type ServiceConfig,
  type ServiceDefaults,
} from '@softphone/platform';
import { SERVICES } from '@softphone/service-catalog';
import { AccessCodesModule } from './access-codes/access-codes.module.js';
import { AccessCodesProjection } from './access-codes/access-codes.projection.js';
import { IvrsModule } from './ivrs/ivrs.module.js';
import { IvrsProjection } from './ivrs/ivrs.projection.js';
import { TenantsView1732400010000 } from './migrations/1732400010000-tenants-view.js';
import { OrgUnitsView1732400010001 } from './migrations/1732400010001-org-units-view.js';
import { SkillQueuesView1732400010002 } from './migrations/1732400010002-skill-queues-view.js';
import { IvrsView1732400010003 } from './migrations/1732400010003-ivrs-view.js';
import { AccessCodes1732400010004 } from './migrations/1732400010004-access-codes.js';
import { TenantCallHandling1732400010005 } from './migrations/1732400010005-tenant-call-handling.js';
import { OrgUnitsModule } from './org-units/org-units.module.js';
import { OrgUnitsProjection } from './org-units/org-units.projection.js';
import { SkillQueuesModule } from './skill-queues/skill-queues.module.js';
import { SkillQueuesProjection } from './skill-queues/skill-queues.projection.js';
import { TenantsModule } from './tenants/tenants.module.js';
import { TenantsProjection } from './tenants/tenants.projection.js';

export const TENANT_SERVICE: ServiceDefaults = SERVICES['tenant-svc'];

@Module({})
class TenantServiceModule {}

/** tenant-svc: tenants, WebRTC enablement, gateways, pool mode, parameters, org units, skill queues, IVRs. */
export function tenantServiceModule(config: ServiceConfig): DynamicModule {
  return {
    module: TenantServiceModule,
    imports: [
      ServiceCoreModule.forService(config),
      EventSourcingModule.forService({
        migrations: [
          ...MessagingModule.schema,
          TenantsView1732400010000,
          OrgUnitsView1732400010001,
          SkillQueuesView1732400010002,
          IvrsView1732400010003,
          AccessCodes1732400010004,
          TenantCallHandling1732400010005,
        ],
        projections: [TenantsProjection, OrgUnitsProjection, SkillQueuesProjection, IvrsProjection, AccessCodesProjection],
      }),
      MessagingModule,
      HttpApiModule,
      // Rate limits (per principal, per address failing to authenticate), failing open.
      RedisModule,
      TenantsModule,
      OrgUnitsModule,
      SkillQueuesModule,
      IvrsModule,
      AccessCodesModule,
    ],
  };
}
