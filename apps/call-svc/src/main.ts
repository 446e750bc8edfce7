import 'reflect-metadata';
import { loadConfig, runService } from '@softphone/platform';
import { CALL_SERVICE, callServiceModule } from './call-service.js';

const config = loadConfig(CALL_SERVICE);
await runService(callServiceModule(config), config);
