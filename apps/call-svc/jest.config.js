import { projectConfig } from '../../jest.preset.js';
export default projectConfig('apps/call-svc');
