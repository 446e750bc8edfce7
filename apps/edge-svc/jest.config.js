import { projectConfig } from '../../jest.preset.js';
// A browser test is many steps, each bounded by its own wait; on a loaded CI machine their sum needs more than a minute.
export default projectConfig('apps/edge-svc', { testTimeout: 180_000 });
