import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { backupsPermissions } from '@backups-for-backstage/plugin-backups-common';
import { backupsConfigServiceRef } from './config/backupsConfigServiceRef';
import { createRouter } from './router';
import { backupsServiceRef } from './service/backupsServiceRef';
import { statusServiceRef } from './status/statusServiceRef';
import { onDemandBackupServiceRef } from './onDemand/onDemandBackupServiceRef';
import { restoreServiceRef } from './restores/restoreServiceRef';
import { drillServiceRef } from './drills/drillServiceRef';

/** The scheduler task that reconciles every entity. */
export const RECONCILE_TASK_ID = 'backups-reconcile';

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
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        config: backupsConfigServiceRef,
        backups: backupsServiceRef,
        status: statusServiceRef,
        onDemand: onDemandBackupServiceRef,
        restores: restoreServiceRef,
        drills: drillServiceRef,
      },
      async init({
        httpAuth,
        httpRouter,
        permissions,
        permissionsRegistry,
        auditor,
        scheduler,
        config,
        backups,
        status,
        onDemand,
        restores,
        drills,
      }) {
        permissionsRegistry.addPermissions(backupsPermissions);
        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            auditor,
            backups,
            status,
            onDemand,
            restores,
            drills,
          }),
        );
        const { reconcile } = config;
        await scheduler.scheduleTask({
          id: RECONCILE_TASK_ID,
          frequency: reconcile.frequency,
          // A run that takes longer is released so that the next can start.
          timeout: { minutes: 30 },
          initialDelay: { seconds: 15 },
          fn: async () => {
            await backups.reconcileAll();
          },
        });
      },
    });
  },
});
