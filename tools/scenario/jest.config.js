import { projectConfig } from '../../jest.preset.js';
// End-to-end: four service processes per file; a file waits on real timers and restarts.
export default projectConfig('tools/scenario', { testTimeout: 240_000, maxWorkers: 1 });
