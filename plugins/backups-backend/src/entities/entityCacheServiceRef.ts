import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { schedulePeriodMs } from '@backups-for-backstage/plugin-backups-common';
import { durationToMilliseconds } from '@backstage/types';
import { backupsConfigServiceRef } from '../config/backupsConfigServiceRef';
import { EntityCache } from './EntityCache';

/**
 * The plugin's short-lived cache of catalog entities, and the fleet of the
 * last complete reconcile run.
 *
 * @public
 */
export const entityCacheServiceRef = createServiceRef<EntityCache>({
  id: 'backups.entity-cache',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { catalog: catalogServiceRef, config: backupsConfigServiceRef },
      factory: ({ catalog, config }) => {
        const { frequency } = config.reconcile;
        const periodMs =
          'cron' in frequency
            ? schedulePeriodMs(frequency.cron) ?? 5 * 60 * 1000
            : durationToMilliseconds(frequency);
        // Two runs may be missed (one slow, one failed) before the fleet
        // page asks the catalog again.
        return new EntityCache({ catalog, fleetMaxAgeMs: 3 * periodMs });
      },
    }),
});
