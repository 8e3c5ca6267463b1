import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  BACKUPS_ANNOTATIONS,
  BackupLayer,
  COMPLIANCE_STATES,
  ComplianceState,
  EntityStatus,
  OverviewPage,
  OverviewRow,
  parseProtectionIntent,
  RestorePoint,
  RestorePointList,
} from '@backups-for-backstage/plugin-backups-common';
import { ClusterWatchers } from '../cluster/watch/ClusterWatchers';
import { BackupsConfig, toIntentContext } from '../config/readBackupsConfig';
import { DumpRecord, DumpRecordStore } from '../database/DumpRecordStore';
import { EntityCache } from '../entities/EntityCache';
import { ClusterFacts, planEntity } from '../plan/planEntity';
import { entityStatus } from './compliance';
import { DumpRecorder } from './DumpRecorder';
import { observeEntity } from './observe';
import { StatusService } from './StatusService';

const MAX_PAGE = 5000;

function ownerRef(entity: Entity): string | undefined {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || owner === '') return undefined;
  return stringifyEntityRef(
    parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    }),
  );
}

/**
 * The status service: entity statuses computed from the watch caches and the
 * dumps recorded in the database, never from a LIST per request.
 */
export class DefaultStatusService implements StatusService {
  private readonly now: () => Date;

  constructor(
    private readonly options: {
      config: BackupsConfig;
      catalog: CatalogService;
      entities: EntityCache;
      watchers: ClusterWatchers;
      dumps: DumpRecordStore;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {
    this.now = options.now ?? (() => new Date());
    const recorder = new DumpRecorder({
      dumps: options.dumps,
      now: this.now,
      logger: options.logger,
    });
    options.watchers.onPodChange((cluster, pod) => recorder.seen(cluster, pod));
  }

  async getStatus(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
  }): Promise<EntityStatus> {
    const entity = await this.requireEntity(options);
    const entityRef = stringifyEntityRef(entity);
    return this.statusOf(entity, await this.options.dumps.list({ entityRef }))
      .status;
  }

  async getRestorePoints(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
    layer?: BackupLayer;
  }): Promise<RestorePointList> {
    const entity = await this.requireEntity(options);
    const entityRef = stringifyEntityRef(entity);
    const { restorePoints } = this.statusOf(
      entity,
      await this.options.dumps.list({ entityRef }),
    );
    return {
      entityRef,
      ...(options.layer ? { layer: options.layer } : {}),
      restorePoints: restorePoints
        .filter(point => !options.layer || point.layer === options.layer)
        .sort((a, b) => b.time.localeCompare(a.time)),
    };
  }

  async getOverview(options: {
    credentials: BackstageCredentials;
    owner?: string;
    policy?: string;
    state?: ComplianceState;
    offset?: number;
    limit?: number;
    readable(entityRefs: string[]): Promise<Set<string>>;
  }): Promise<OverviewPage> {
    const { items: visible } = await this.options.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${BACKUPS_ANNOTATIONS.policy}`]:
            CATALOG_FILTER_EXISTS,
        },
      },
      { credentials: options.credentials },
    );
    const readable = await options.readable(
      visible.map(entity => stringifyEntityRef(entity)),
    );
    const entities = visible.filter(entity =>
      readable.has(stringifyEntityRef(entity)),
    );
    const wantedOwner = options.owner
      ? stringifyEntityRef(
          parseEntityRef(options.owner, {
            defaultKind: 'group',
            defaultNamespace: 'default',
          }),
        )
      : undefined;
    const dumpsByEntity = await this.dumpsByEntity();
    const rows: OverviewRow[] = [];
    for (const entity of entities) {
      this.options.entities.put(entity);
      const owner = ownerRef(entity);
      const policy = entity.metadata.annotations?.[BACKUPS_ANNOTATIONS.policy];
      if (wantedOwner && owner !== wantedOwner) continue;
      if (options.policy && policy !== options.policy) continue;
      const entityRef = stringifyEntityRef(entity);
      const { status, restorePoints } = this.statusOf(
        entity,
        dumpsByEntity.get(entityRef) ?? [],
      );
      const newestGood: OverviewRow['newestGood'] = {};
      for (const point of restorePoints) {
        if (!point.good) continue;
        const known = newestGood[point.layer];
        if (!known || known < point.time) newestGood[point.layer] = point.time;
      }
      rows.push({
        entityRef,
        ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
        ...(owner ? { owner } : {}),
        ...(policy ? { policy } : {}),
        state: status.state,
        summary: status.reasons[0] ?? '',
        newestGood,
        ...(status.rpo
          ? {
              rpo: {
                target: status.rpo.target,
                targetMs: status.rpo.targetMs,
                ...(status.rpo.achievedMs !== undefined
                  ? { achievedMs: status.rpo.achievedMs }
                  : {}),
              },
            }
          : {}),
      });
    }
    const stateCounts: OverviewPage['stateCounts'] = {};
    for (const row of rows) {
      stateCounts[row.state] = (stateCounts[row.state] ?? 0) + 1;
    }
    const filtered = options.state
      ? rows.filter(row => row.state === options.state)
      : rows;
    // The worst first, so that a page shows what needs attention.
    const rank = (state: ComplianceState) => -COMPLIANCE_STATES.indexOf(state);
    filtered.sort(
      (a, b) =>
        rank(a.state) - rank(b.state) || a.entityRef.localeCompare(b.entityRef),
    );
    const offset = Math.max(0, options.offset ?? 0);
    const limit = Math.min(MAX_PAGE, Math.max(1, options.limit ?? 100));
    return {
      items: filtered.slice(offset, offset + limit),
      totalCount: filtered.length,
      offset,
      limit,
      stateCounts,
    };
  }

  /** Every opted-in entity the entity cache knows, with its status (metrics). */
  async fleet(): Promise<
    Array<{ status: EntityStatus; restorePoints: RestorePoint[] }>
  > {
    const dumpsByEntity = await this.dumpsByEntity();
    return this.options.entities
      .all()
      .filter(
        entity => entity.metadata.annotations?.[BACKUPS_ANNOTATIONS.policy],
      )
      .map(entity =>
        this.statusOf(
          entity,
          dumpsByEntity.get(stringifyEntityRef(entity)) ?? [],
        ),
      );
  }

  private async dumpsByEntity(): Promise<Map<string, DumpRecord[]>> {
    const byEntity = new Map<string, DumpRecord[]>();
    for (const dump of await this.options.dumps.listAll()) {
      const list = byEntity.get(dump.entityRef) ?? [];
      list.push(dump);
      byEntity.set(dump.entityRef, list);
    }
    return byEntity;
  }

  private statusOf(
    entity: Entity,
    dumps: DumpRecord[],
  ): { status: EntityStatus; restorePoints: RestorePoint[] } {
    const { config, watchers } = this.options;
    const now = this.now();
    const entityRef = stringifyEntityRef(entity);
    const base = {
      entityRef,
      layers: [],
      clusters: [],
      warnings: [],
      generatedAt: now.toISOString(),
    };
    const intent = parseProtectionIntent(entity, toIntentContext(config));
    if (intent.state === 'not-opted-in') {
      return {
        status: {
          ...base,
          state: 'not-opted-in',
          reasons: [
            `${entityRef} has not opted in: add the annotation ${BACKUPS_ANNOTATIONS.policy} to its catalog-info.yaml.`,
          ],
        },
        restorePoints: [],
      };
    }
    if (intent.state === 'invalid') {
      return {
        status: {
          ...base,
          state: 'invalid',
          reasons: [
            `${
              intent.errors.length
            } annotation(s) of ${entityRef} are invalid, so nothing is backed up for it: ${intent.errors
              .map(error => error.message)
              .join(' ')}`,
          ],
          errors: intent.errors,
        },
        restorePoints: [],
      };
    }
    const clusterFacts: Record<string, ClusterFacts> = {};
    for (const caches of watchers.all()) {
      if (caches.served) {
        clusterFacts[caches.cluster.name] = {
          hasSnapScheduler: caches.served.hasSnapScheduler,
        };
      }
    }
    const plan = planEntity({ entity, config, clusterFacts });
    const clusterPlans = plan.state === 'planned' ? plan.clusters : [];
    const observed = observeEntity({
      intent: intent.intent,
      clusterPlans,
      caches: cluster => watchers.caches(cluster),
      dumps,
    });
    return {
      status: entityStatus({
        entityRef,
        intent: intent.intent,
        layers: observed.layers,
        clusters: observed.clusters,
        compliance: { now, failingAfter: config.status.failingAfter },
      }),
      restorePoints: observed.layers.flatMap(layer => layer.restorePoints),
    };
  }

  private async requireEntity(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
  }): Promise<Entity> {
    const entity = await this.options.entities.get(
      options.entityRef,
      options.credentials,
    );
    if (!entity) {
      throw new NotFoundError(
        `No entity ${stringifyEntityRef(options.entityRef)} in the catalog`,
      );
    }
    return entity;
  }
}
