import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import { ProtectionIntentResult } from '@backups-for-backstage/plugin-backups-common';

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
}

/**
 * The {@link BackupsApi} of the Backups plugin.
 *
 * @public
 */
export const backupsApiRef = createApiRef<BackupsApi>({
  id: 'plugin.backups.service',
});
