import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  DrillRecord,
  RestoreRecord,
} from '@backups-for-backstage/plugin-backups-common';
import { errorMessage } from '../cluster/objects';
import { SentNotificationStore } from '../database/SentNotificationStore';
import {
  BackupsNotification,
  drillNotification,
  FailingLayer,
  failingLayerNotification,
  restoreNotification,
} from './backupsNotifications';
import { BackupsNotifier } from './BackupsNotifier';

/**
 * Sends through the notifications service to the entity (the notifications
 * backend resolves its owners), after claiming the entity, cause and day in
 * the plugin database; a send that fails gives the claim back.
 */
export class DefaultBackupsNotifier implements BackupsNotifier {
  private readonly now: () => Date;

  constructor(
    private readonly options: {
      notifications: NotificationService;
      sent: SentNotificationStore;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {
    this.now = options.now ?? (() => new Date());
  }

  drillEnded(record: DrillRecord): Promise<void> {
    return this.send(drillNotification(record));
  }

  restoreEnded(record: RestoreRecord): Promise<void> {
    return this.send(restoreNotification(record));
  }

  layerTurnedFailing(failing: FailingLayer): Promise<void> {
    return this.send(failingLayerNotification(failing));
  }

  private async send(notification?: BackupsNotification): Promise<void> {
    if (!notification) return;
    const { entityRef, cause, payload } = notification;
    const key = { entityRef, cause, at: this.now() };
    const { logger } = this.options;
    try {
      if (!(await this.options.sent.claim(key))) return;
    } catch (error) {
      logger.warn(
        `Could not record the ${cause} notification of ${entityRef}, so it was not sent: ${errorMessage(
          error,
        )}`,
      );
      return;
    }
    try {
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef },
        payload,
      });
    } catch (error) {
      // No notifications backend installed, or it did not answer.
      logger.warn(
        `Could not notify the owners of ${entityRef} (${cause}): ${errorMessage(
          error,
        )}`,
      );
      await this.options.sent.release(key).catch(() => undefined);
    }
  }
}
