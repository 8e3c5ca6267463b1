import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import {
  BackupLayer,
  ComplianceState,
  EntityStatus,
  OnDemandBackup,
  OverviewPage,
  ProtectionIntentResult,
  DrillList,
  DrillRecord,
  RestoreList,
  RestorePointList,
  RestoreRecord,
  RestoreRequest,
} from '@backups-for-backstage/plugin-backups-common';

/**
 * Options accepted by every {@link BackupsApi} call.
 *
 * @public
 */
export interface BackupsRequestOptions {
  /** Aborts the request, e.g. when the component asking for it unmounts. */
  signal?: AbortSignal;
}

/**
 * The client side of the backups backend (`/api/backups`).
 *
 * @remarks
 *
 * Entity refs are accepted either as a {@link @backstage/catalog-model#CompoundEntityRef}
 * (such as an entity from `useEntity()`, via `getCompoundEntityRef`) or as a
 * string ref (`component:default/orders`).
 *
 * @public
 */
export interface BackupsApi {
  /**
   * The parsed protection intent of an entity: its policy, clusters, targets
   * and layers, the per-annotation errors that keep it from being applied, or
   * the fact that it has not opted in.
   */
  getIntent(
    entityRef: CompoundEntityRef | string,
    options?: BackupsRequestOptions,
  ): Promise<ProtectionIntentResult>;

  /**
   * Whether the entity is protected: its compliance state and reasons, its
   * RPO, and per layer and cluster its schedule, last success, last attempt
   * and state.
   */
  getStatus(
    entityRef: CompoundEntityRef | string,
    options?: BackupsRequestOptions,
  ): Promise<EntityStatus>;

  /** The entity's restore points, newest first, of one layer or all. */
  getRestorePoints(
    entityRef: CompoundEntityRef | string,
    options?: BackupsRequestOptions & { layer?: BackupLayer },
  ): Promise<RestorePointList>;

  /** Backs one layer up now (in the entity's first cluster unless named). */
  createBackup(
    entityRef: CompoundEntityRef | string,
    request: { layer: BackupLayer; cluster?: string },
    options?: BackupsRequestOptions,
  ): Promise<OnDemandBackup>;

  /**
   * Starts a restore from one of the entity's good restore points, to a new
   * namespace or (with the typed confirmation) in place.
   */
  createRestore(
    entityRef: CompoundEntityRef | string,
    request: RestoreRequest,
    options?: BackupsRequestOptions,
  ): Promise<{ id: string; restore: RestoreRecord }>;

  /** One restore and its steps. */
  getRestore(
    id: string,
    options?: BackupsRequestOptions,
  ): Promise<RestoreRecord>;

  /** The entity's restores, newest first. */
  listRestores(
    entityRef: CompoundEntityRef | string,
    options?: BackupsRequestOptions,
  ): Promise<RestoreList>;

  /** Starts a disaster-recovery drill of the entity's newest restore points. */
  startDrill(
    entityRef: CompoundEntityRef | string,
    request: { cluster?: string; reason?: string },
    options?: BackupsRequestOptions,
  ): Promise<{ id: string; drill: DrillRecord }>;

  /** The entity's drills, newest first. */
  listDrills(
    entityRef: CompoundEntityRef | string,
    options?: BackupsRequestOptions,
  ): Promise<DrillList>;

  /** The fleet: one row per opted-in entity the caller may read. */
  getOverview(
    filters?: {
      owner?: string;
      policy?: string;
      state?: ComplianceState;
      offset?: number;
      limit?: number;
    },
    options?: BackupsRequestOptions,
  ): Promise<OverviewPage>;
}

/**
 * The {@link BackupsApi} of the Backups plugin.
 *
 * @public
 */
export const backupsApiRef = createApiRef<BackupsApi>({
  id: 'plugin.backups.service',
});
