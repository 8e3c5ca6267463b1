import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { EntityCache } from './EntityCache';

/**
 * The plugin's short-lived cache of catalog entities, fed by the reconcile
 * stream and the overview query.
 *
 * @public
 */
export const entityCacheServiceRef = createServiceRef<EntityCache>({
  id: 'backups.entity-cache',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { catalog: catalogServiceRef },
      factory: ({ catalog }) => new EntityCache({ catalog }),
    }),
});
