import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';

/**
 * The notifications service's test double: records what is sent, or fails
 * as a portal without the notifications backend does.
 */
export class RecordingNotificationService implements NotificationService {
  readonly sent: NotificationSendOptions[] = [];
  private failure?: Error;

  async send(options: NotificationSendOptions): Promise<void> {
    if (this.failure) throw this.failure;
    this.sent.push(options);
  }

  /** From now on every send fails with `failure` (undefined: sends again). */
  failWith(failure: Error | undefined): void {
    this.failure = failure;
  }
}
