import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * Read an entity's backup intent, status, restore points, restores and drills.
 *
 * @public
 */
export const backupsEntityReadPermission = createPermission({
  name: 'backups.entity.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Start an on-demand backup of an entity.
 *
 * @public
 */
export const backupsBackupCreatePermission = createPermission({
  name: 'backups.backup.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Restore an entity from one of its restore points.
 *
 * @public
 */
export const backupsRestoreCreatePermission = createPermission({
  name: 'backups.restore.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Restore an entity in place: into its own namespace, database or beside its
 * own PVCs. Checked in addition to {@link backupsRestoreCreatePermission}.
 *
 * @public
 */
export const backupsRestoreInPlacePermission = createPermission({
  name: 'backups.restore.in-place',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Run a disaster-recovery drill for an entity.
 *
 * @public
 */
export const backupsDrillCreatePermission = createPermission({
  name: 'backups.drill.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Apply an entity's backup plan to its clusters.
 *
 * @public
 */
export const backupsReconcilePermission = createPermission({
  name: 'backups.reconcile',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Every permission of the backups plugins.
 *
 * @public
 */
export const backupsPermissions = [
  backupsEntityReadPermission,
  backupsBackupCreatePermission,
  backupsRestoreCreatePermission,
  backupsRestoreInPlacePermission,
  backupsDrillCreatePermission,
  backupsReconcilePermission,
];
