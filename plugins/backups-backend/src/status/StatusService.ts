import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  BackupLayer,
  ComplianceState,
  EntityStatus,
  OverviewPage,
  RestorePointList,
} from '@backups-for-backstage/plugin-backups-common';

/**
 * Whether entities are protected: their status and restore points, and the
 * fleet's, read from the watch caches and the recorded dumps; with their
 * last drill, read from the drill records.
 *
 * @public
 */
export interface StatusService {
  /** NotFoundError for an entity the catalog does not have (or the caller may not see). */
  getStatus(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
  }): Promise<EntityStatus>;

  getRestorePoints(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
    layer?: BackupLayer;
  }): Promise<RestorePointList>;

  /** One row per opted-in entity the caller may see, filtered and paged. */
  getOverview(options: {
    credentials: BackstageCredentials;
    owner?: string;
    policy?: string;
    state?: ComplianceState;
    offset?: number;
    limit?: number;
    /**
     * Which of these entities the caller may read: in the catalog and
     * through this plugin (the permission checks, per request).
     */
    readable(entityRefs: string[]): Promise<Set<string>>;
  }): Promise<OverviewPage>;
}
