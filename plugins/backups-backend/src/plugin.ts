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
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { DrillScheduleStore } from './database/DrillScheduleStore';
import { DrillScheduler } from './drills/DrillScheduler';

/** The scheduler task that reconciles every entity. */
export const RECONCILE_TASK_ID = 'backups-reconcile';
/** The scheduler task that starts the scheduled drills that are due. */
export const DRILL_SCHEDULE_TASK_ID = 'backups-drill-schedule';

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
        database: coreServices.database,
        logger: coreServices.logger,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
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
        database,
        logger,
        auth,
        catalog,
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
        const { reconcile, drills: drillsConfig } = config;
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
        const drillScheduler = new DrillScheduler({
          catalog,
          config,
          drills,
          store: await DrillScheduleStore.create({ database }),
          logger,
          serviceCredentials: () => auth.getOwnServiceCredentials(),
        });
        // A distributed task: with several replicas on one database, one
        // looks at a time (and the run's claim holds even if two did).
        await scheduler.scheduleTask({
          id: DRILL_SCHEDULE_TASK_ID,
          frequency: { milliseconds: drillsConfig.scheduleCheckMs },
          timeout: { minutes: 10 },
          initialDelay: {
            milliseconds: Math.min(drillsConfig.scheduleCheckMs, 30_000),
          },
          fn: async () => {
            await drillScheduler.startDueDrills();
          },
        });
      },
    });
  },
});
