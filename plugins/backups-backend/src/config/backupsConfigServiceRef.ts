import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { BackupsConfig, readBackupsConfig } from './readBackupsConfig';

/**
 * The plugin's `backups.*` configuration, read and validated once: a backend
 * with a bad configuration refuses to start, listing every problem.
 *
 * @public
 */
export const backupsConfigServiceRef = createServiceRef<BackupsConfig>({
  id: 'backups.config',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig },
      factory: ({ config }) => readBackupsConfig(config),
    }),
});
