import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  BackupLayer,
  OnDemandBackup,
} from '@backups-for-backstage/plugin-backups-common';

/**
 * "Back up now": one backup of one layer of an entity, started at once from
 * what its schedule would run.
 *
 * @public
 */
export interface OnDemandBackupService {
  /**
   * InputError for a layer the entity does not have or a cluster it does not
   * use; ConflictError when one already runs for that layer (or its runner
   * is not in the cluster yet); ServiceUnavailableError naming the cluster
   * when it does not answer.
   */
  createBackup(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
    layer: BackupLayer;
    cluster?: string;
  }): Promise<OnDemandBackup>;
}
