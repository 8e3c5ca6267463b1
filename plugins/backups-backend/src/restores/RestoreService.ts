import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  RestoreList,
  RestoreRecord,
  RestoreRequest,
} from '@backups-for-backstage/plugin-backups-common';

/**
 * Restores of an entity from its restore points, followed through the watch
 * caches and recorded in the plugin database.
 *
 * @public
 */
export interface RestoreService {
  /**
   * Starts a restore and answers its record (state `running`). InputError
   * naming what is wrong with the request; ConflictError when a restore or
   * drill runs for the entity; ServiceUnavailableError naming the cluster.
   * The caller's permissions are checked before (see the router).
   */
  createRestore(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
    request: RestoreRequest;
  }): Promise<RestoreRecord>;

  /** NotFoundError for an unknown id. */
  getRestore(options: { id: string }): Promise<RestoreRecord>;

  listRestores(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
  }): Promise<RestoreList>;
}
