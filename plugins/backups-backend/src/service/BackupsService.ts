import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { ProtectionIntentResult } from '@backups-for-backstage/plugin-backups-common';
import { DefaultBackupsService } from './DefaultBackupsService';
import {
  readBackupsConfig,
  toIntentContext,
} from '../config/readBackupsConfig';

/**
 * The domain operations behind the backups HTTP API.
 *
 * @public
 */
export interface BackupsService {
  /** The entity's parsed protection intent; NotFoundError for unknown entities. */
  getIntent(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
  }): Promise<ProtectionIntentResult>;
}

/**
 * Replace it with `createServiceFactory({ service: backupsServiceRef, … })` in
 * tests or to change how entities are read.
 *
 * @public
 */
export const backupsServiceRef = createServiceRef<BackupsService>({
  id: 'backups.service',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
      },
      async factory({ config, catalog }) {
        return new DefaultBackupsService({
          catalog,
          intentContext: toIntentContext(readBackupsConfig(config)),
        });
      },
    }),
});
