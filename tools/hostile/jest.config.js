import { projectConfig } from '../../jest.preset.js';
// The hostile caller: the four services as processes, one file at a time.
export default projectConfig('tools/hostile', { testTimeout: 240_000, maxWorkers: 1 });
