/**
 * Frontend plugin for Backups for Backstage: the Backups tab of an entity.
 *
 * @packageDocumentation
 */

export { backupsPlugin, EntityBackupsContent } from './plugin';
export { isBackupsAvailable } from './conditions';
export { backupsApiRef, BackupsClient } from './api';
export type { BackupsApi, BackupsRequestOptions } from './api';
