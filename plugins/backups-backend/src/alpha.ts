/**
 * Permission rules and conditions of the Backups backend, for the authors of
 * permission policies.
 *
 * @packageDocumentation
 */

export {
  backupsConditions,
  backupsPermissionRules,
  createBackupsConditionalDecision,
  isEntityOwner,
} from './auth/conditions';
