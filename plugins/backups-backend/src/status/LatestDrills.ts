import {
  DrillRecord,
  DrillSummary,
} from '@backups-for-backstage/plugin-backups-common';
import pLimit from 'p-limit';
import { DrillStore } from '../database/OperationStore';

/** Look-ups at once: a fleet page must not take the whole connection pool. */
const CONCURRENCY = 4;

/**
 * The newest finished drill of entities, for their status and fleet rows.
 *
 * @public
 */
export interface LatestDrills {
  /** By entity ref; entities without a finished drill are left out. */
  latestFinished(entityRefs: string[]): Promise<Map<string, DrillSummary>>;
}

/** A finished drill in a few fields; undefined while it runs. */
export function drillSummary(record: DrillRecord): DrillSummary | undefined {
  if (record.state === 'running') return undefined;
  const failedStepTitle = record.failedStep
    ? record.steps.find(step => step.name === record.failedStep)?.title
    : undefined;
  return {
    id: record.id,
    state: record.state,
    requestedAt: record.requestedAt,
    ...(record.finishedAt ? { finishedAt: record.finishedAt } : {}),
    ...(record.achieved.rtoMs !== undefined
      ? { achievedRtoMs: record.achieved.rtoMs }
      : {}),
    targetRtoMs: record.targets.rtoMs,
    ...(record.failedStep ? { failedStep: record.failedStep } : {}),
    ...(failedStepTitle ? { failedStepTitle } : {}),
    ...(record.outcome ? { outcome: record.outcome } : {}),
  };
}

/**
 * The newest finished drills, read from the drill store one entity at a
 * time (the store lists by entity; a batch query would be a store change).
 */
export class StoredLatestDrills implements LatestDrills {
  constructor(private readonly store: Pick<DrillStore, 'list'>) {}

  async latestFinished(
    entityRefs: string[],
  ): Promise<Map<string, DrillSummary>> {
    const limit = pLimit(CONCURRENCY);
    const found = await Promise.all(
      [...new Set(entityRefs)].map(entityRef =>
        limit(async () => {
          // One restore or drill runs per entity at a time, and the list is
          // newest first: the newest finished drill is the first or second.
          const drills = await this.store.list({ entityRef, limit: 2 });
          const summary = drills
            .map(drillSummary)
            .find(drill => drill !== undefined);
          return [entityRef, summary] as const;
        }),
      ),
    );
    const summaries = new Map<string, DrillSummary>();
    for (const [entityRef, summary] of found) {
      if (summary) summaries.set(entityRef, summary);
    }
    return summaries;
  }
}
