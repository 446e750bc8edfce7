import 'reflect-metadata';
import { loadConfig, runService } from '@softphone/platform';
import { QUALITY_SERVICE, qualityServiceModule } from './quality-service.js';

const config = loadConfig(QUALITY_SERVICE);
await runService(qualityServiceModule(config), config);
