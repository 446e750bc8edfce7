import 'reflect-metadata';
import { loadConfig, runService } from '@softphone/platform';
import { TENANT_SERVICE, tenantServiceModule } from './tenant-service.js';

const config = loadConfig(TENANT_SERVICE);
await runService(tenantServiceModule(config), config);
