import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { notificationService } from '@backstage/plugin-notifications-node';
import { backupsConfigServiceRef } from '../config/backupsConfigServiceRef';
import { SentNotificationStore } from '../database/SentNotificationStore';
import { BackupsNotifier } from './BackupsNotifier';
import { DefaultBackupsNotifier } from './DefaultBackupsNotifier';

/** What `backups.notifications.enabled: false` leaves: nobody is told. */
const SILENT: BackupsNotifier = {
  drillEnded: async () => undefined,
  restoreEnded: async () => undefined,
  layerTurnedFailing: async () => undefined,
};

/**
 * Notifications to entities' owners. The default sends through
 * `notificationService` of `@backstage/plugin-notifications-node`, which
 * calls the notifications backend; without one installed, each send fails
 * and is logged as a warning. Replace it with
 * `createServiceFactory({ service: backupsNotifierServiceRef, … })` in tests.
 *
 * @public
 */
export const backupsNotifierServiceRef = createServiceRef<BackupsNotifier>({
  id: 'backups.notifier',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: backupsConfigServiceRef,
        notifications: notificationService,
        database: coreServices.database,
        logger: coreServices.logger,
      },
      async factory({ config, notifications, database, logger }) {
        if (!config.notifications.enabled) return SILENT;
        return new DefaultBackupsNotifier({
          notifications,
          sent: await SentNotificationStore.create({ database }),
          logger,
        });
      },
    }),
});
