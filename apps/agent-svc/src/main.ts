import 'reflect-metadata';
import { loadConfig, runService } from '@softphone/platform';
import { AGENT_SERVICE, agentServiceModule } from './agent-service.js';

const config = loadConfig(AGENT_SERVICE);
await runService(agentServiceModule(config), config);
