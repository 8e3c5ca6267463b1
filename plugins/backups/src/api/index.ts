export { backupsApiRef } from './BackupsApi';
export type { BackupsApi, BackupsRequestOptions } from './BackupsApi';
export { BackupsClient } from './BackupsClient';
