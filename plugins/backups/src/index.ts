/**
 * Frontend plugin for Backups for Backstage: the Backups tab of an entity.
 *
 * @packageDocumentation
 */

export {
  backupsPlugin,
  BackupsPage,
  EntityBackupStatusCard,
  EntityBackupsContent,
} from './plugin';
export { isBackupsAvailable } from './conditions';
export { backupsApiRef, BackupsClient } from './api';
export type { BackupsApi, BackupsRequestOptions } from './api';
export type { BackupsPageProps } from './components/BackupsPage';
export { ComplianceChip } from './components/ComplianceChip';
export type { ComplianceChipProps } from './components/ComplianceChip';
