import { projectConfig } from '../../jest.preset.js';
export default projectConfig('libs/service-catalog');
