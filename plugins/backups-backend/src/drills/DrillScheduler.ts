import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { isError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  latestRun,
  parseProtectionIntent,
  schedulePeriodMs,
} from '@backups-for-backstage/plugin-backups-common';
import { errorMessage } from '../cluster/objects';
import { BackupsConfig, toIntentContext } from '../config/readBackupsConfig';
import { DrillScheduleStore } from '../database/DrillScheduleStore';
import { OPTED_IN_FILTER } from '../entities/optedIn';
import { DrillService } from './DrillService';

/** Claims of scheduled runs are kept this long (the drills keep their records). */
const RUNS_KEPT_MS = 90 * 24 * 3600_000;

/** What one look at an entity's drill schedule did. */
export type ScheduledDrillOutcome =
  | { entityRef: string; scheduledFor: string; started: string }
  | { entityRef: string; scheduledFor: string; deferred: string }
  | { entityRef: string; scheduledFor: string; refused: string };

/**
 * Starts scheduled drills: for every opted-in entity whose drill schedule
 * (`backups/drill-schedule`, or its policy's `drill.schedule`) is not off,
 * the latest run that is due and not claimed yet. Runs from before the
 * schedule was first seen are not owed; a run stays due until the next one
 * (a drill that cannot start now because the entity or every drill slot is
 * busy, or its cluster is unreachable, is tried again at the next look);
 * the claim in the plugin database makes each run start one drill however
 * many replicas look. Run it from Backstage's scheduler.
 */
export class DrillScheduler {
  private readonly now: () => Date;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      config: BackupsConfig;
      drills: DrillService;
      store: DrillScheduleStore;
      logger: LoggerService;
      serviceCredentials: () => Promise<BackstageCredentials>;
      now?: () => Date;
    },
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** One look at every entity's drill schedule. */
  async startDueDrills(): Promise<ScheduledDrillOutcome[]> {
    const { catalog, store, logger } = this.options;
    const now = this.now();
    const credentials = await this.options.serviceCredentials();
    const known = await store.schedules();
    const scheduled = new Set<string>();
    const outcomes: ScheduledDrillOutcome[] = [];
    for await (const page of catalog.streamEntities(
      { filter: OPTED_IN_FILTER },
      { credentials },
    )) {
      for (const entity of page) {
        const entityRef = stringifyEntityRef(entity);
        try {
          const schedule = this.drillScheduleOf(entity);
          if (!schedule) continue;
          scheduled.add(entityRef);
          const outcome = await this.startIfDue({
            entityRef,
            schedule,
            known: known.get(entityRef),
            now,
            credentials,
          });
          if (outcome) outcomes.push(outcome);
        } catch (error) {
          // One entity's trouble never keeps the others' drills from starting.
          logger.warn(
            `Could not look at the drill schedule of ${entityRef}: ${errorMessage(
              error,
            )}`,
          );
        }
      }
    }
    // Turned off, opted out or gone: a schedule that comes back starts afresh.
    for (const entityRef of known.keys()) {
      if (!scheduled.has(entityRef)) await store.forgetSchedule(entityRef);
    }
    await store.pruneRuns(new Date(now.getTime() - RUNS_KEPT_MS));
    return outcomes;
  }

  private drillScheduleOf(entity: Entity): string | undefined {
    const result = parseProtectionIntent(
      entity,
      toIntentContext(this.options.config),
    );
    return result.state === 'valid' ? result.intent.drill.schedule : undefined;
  }

  private async startIfDue(options: {
    entityRef: string;
    schedule: string;
    known?: { schedule: string; since: Date };
    now: Date;
    credentials: BackstageCredentials;
  }): Promise<ScheduledDrillOutcome | undefined> {
    const { entityRef, schedule, known, now, credentials } = options;
    const { store, drills, logger } = this.options;
    if (known?.schedule !== schedule) {
      await store.rememberSchedule({ entityRef, schedule, since: now });
      return undefined;
    }
    const periodMs = schedulePeriodMs(schedule, now);
    if (periodMs === undefined) return undefined;
    const run = latestRun(schedule, {
      after: new Date(
        Math.max(known.since.getTime(), now.getTime() - periodMs),
      ),
      until: now,
    });
    if (!run) return undefined;
    const key = { entityRef, scheduledFor: run };
    if (!(await store.claim({ ...key, now }))) return undefined;
    const scheduledFor = run.toISOString();
    try {
      const drill = await drills.startDrill({
        entityRef: parseEntityRef(entityRef),
        credentials,
        scheduledFor: run,
      });
      await store.settle({ ...key, drillId: drill.id });
      logger.info(
        `Started the scheduled drill ${drill.id} of ${entityRef} (${schedule}, run of ${scheduledFor})`,
      );
      return { entityRef, scheduledFor, started: drill.id };
    } catch (error) {
      const message = errorMessage(error);
      if (isBusy(error)) {
        await store.release(key);
        logger.info(
          `The scheduled drill of ${entityRef} (run of ${scheduledFor}) waits: ${message}`,
        );
        return { entityRef, scheduledFor, deferred: message };
      }
      await store.settle({ ...key, outcome: message });
      logger.warn(
        `The scheduled drill of ${entityRef} (run of ${scheduledFor}) cannot start: ${message}`,
      );
      return { entityRef, scheduledFor, refused: message };
    }
  }
}

/** Something that passes: the entity or every drill slot is busy, or the cluster is unreachable. */
function isBusy(error: unknown): boolean {
  return (
    isError(error) &&
    (error.name === 'ConflictError' || error.name === 'ServiceUnavailableError')
  );
}
