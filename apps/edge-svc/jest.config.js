import { projectConfig } from '../../jest.preset.js';
export default projectConfig('apps/edge-svc');
