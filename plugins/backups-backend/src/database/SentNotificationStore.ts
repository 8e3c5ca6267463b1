import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { insertOnce } from './insertOnce';
import { migratedClient } from './migratedClient';

const TABLE = 'backups_notifications_sent';
/** Days a sent notification is remembered (one is enough; a few help reading). */
const KEEP_DAYS = 7;
const DAY_MS = 86_400_000;

interface Row {
  entity_ref: string;
  cause: string;
  day: string;
  sent_at: Date | string;
}

/** One notification: of this entity, for this cause, at this time. */
export interface NotificationKey {
  entityRef: string;
  cause: string;
  at: Date;
}

/**
 * The notifications sent, one row per entity, cause and UTC day: `claim`
 * inserts it before the notification goes out, and the primary key lets one
 * caller, in whichever replica, have it.
 */
export class SentNotificationStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<SentNotificationStore> {
    return new SentNotificationStore(await migratedClient(options));
  }

  private constructor(private readonly db: Knex) {}

  /**
   * True for the one caller that may send this notification today (UTC);
   * false when it was claimed already. Forgets the days long gone.
   */
  async claim(key: NotificationKey): Promise<boolean> {
    const cutoff = new Date(key.at.getTime() - KEEP_DAYS * DAY_MS);
    await this.db<Row>(TABLE).where('day', '<', utcDay(cutoff)).delete();
    return insertOnce<Row>(
      this.db,
      TABLE,
      { ...primaryKey(key), sent_at: key.at },
      primaryKey(key),
    );
  }

  /** Gives the day's claim back (the send failed), so that the next occasion tries again. */
  async release(key: NotificationKey): Promise<void> {
    await this.db<Row>(TABLE).where(primaryKey(key)).delete();
  }
}

function primaryKey(key: NotificationKey) {
  return { entity_ref: key.entityRef, cause: key.cause, day: utcDay(key.at) };
}

/** The UTC day of a time, `YYYY-MM-DD`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
