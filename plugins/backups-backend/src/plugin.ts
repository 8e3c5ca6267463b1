import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { backupsPermissions } from '@backups-for-backstage/plugin-backups-common';
import { createRouter } from './router';
import { backupsServiceRef } from './service/BackupsService';

/**
 * The Backups backend plugin, served under /api/backups.
 *
 * @public
 */
export const backupsPlugin = createBackendPlugin({
  pluginId: 'backups',
  register(env) {
    env.registerInit({
      deps: {
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        backups: backupsServiceRef,
      },
      async init({
        httpAuth,
        httpRouter,
        permissions,
        permissionsRegistry,
        backups,
      }) {
        permissionsRegistry.addPermissions(backupsPermissions);
        httpRouter.use(await createRouter({ httpAuth, permissions, backups }));
      },
    });
  },
});
