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
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  BACKUPS_ANNOTATIONS,
  BackupLayer,
  COMPLIANCE_STATES,
  ComplianceState,
  DrillSummary,
  EntityStatus,
  OverviewPage,
  OverviewRow,
  RestorePoint,
  RestorePointList,
} from '@backups-for-backstage/plugin-backups-common';
import { ClusterWatchers } from '../cluster/watch/ClusterWatchers';
import { BackupsConfig } from '../config/readBackupsConfig';
import { DumpRecord, DumpRecordStore } from '../database/DumpRecordStore';
import { EntityCache } from '../entities/EntityCache';
import { ClusterFacts } from '../plan/planEntity';
import { entityStatus } from './compliance';
import { DumpRecorder } from './DumpRecorder';
import { LatestDrills } from './LatestDrills';
import { observeEntity } from './observe';
import { Planned, PlannedEntities } from './PlannedEntities';
import { StatusService } from './StatusService';
import { byNewestTime, byText } from './textOrder';

const MAX_PAGE = 5000;
/** Entities whose last status is kept (see statusOf). */
const MAX_COMPUTED = 20_000;

interface ClusterFactsNow {
  facts: Record<string, ClusterFacts>;
  version: string;
}

interface ComputedStatus {
  status: EntityStatus;
  restorePoints: RestorePoint[];
}

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

function byEntity(dumps: DumpRecord[]): Map<string, DumpRecord[]> {
  const grouped = new Map<string, DumpRecord[]>();
  for (const dump of dumps) {
    const list = grouped.get(dump.entityRef) ?? [];
    list.push(dump);
    grouped.set(dump.entityRef, list);
  }
  return grouped;
}

/** An entity's row on the fleet page. */
function overviewRow(
  entity: Entity,
  entityRef: string,
  status: EntityStatus,
): OverviewRow {
  const owner = ownerRef(entity);
  const policy = entity.metadata.annotations?.[BACKUPS_ANNOTATIONS.policy];
  const newestGood: OverviewRow['newestGood'] = {};
  for (const layer of status.layers) {
    const known = newestGood[layer.layer];
    if (layer.lastSuccessAt && (!known || known < layer.lastSuccessAt)) {
      newestGood[layer.layer] = layer.lastSuccessAt;
    }
  }
  return {
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
  };
}

/**
 * The status service: entity statuses computed from the watch caches and the
 * dumps recorded in the database, never from a LIST per request.
 */
export class DefaultStatusService implements StatusService {
  private readonly now: () => Date;
  private readonly planned: PlannedEntities;
  private readonly computed = new Map<
    string,
    { planned: Planned; inputs: string; result: ComputedStatus }
  >();
  private lastFleetRows?: { key: string; rows: OverviewRow[] };

  constructor(
    private readonly options: {
      config: BackupsConfig;
      catalog: CatalogService;
      entities: EntityCache;
      watchers: ClusterWatchers;
      dumps: DumpRecordStore;
      /** Where the last drill of a status and a fleet row comes from; none without. */
      drills?: LatestDrills;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {
    this.now = options.now ?? (() => new Date());
    this.planned = new PlannedEntities({ config: options.config });
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
    const entity = await this.options.entities.require(
      options.entityRef,
      options.credentials,
    );
    const { status } = this.statusOf(await this.withDumps(entity));
    const [withDrill] = await this.withLastDrills([status]);
    return withDrill;
  }

  async getRestorePoints(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
    layer?: BackupLayer;
  }): Promise<RestorePointList> {
    const entity = await this.options.entities.require(
      options.entityRef,
      options.credentials,
    );
    const { entityRef, ...input } = await this.withDumps(entity);
    const { restorePoints } = this.statusOf({ entityRef, ...input });
    return {
      entityRef,
      ...(options.layer ? { layer: options.layer } : {}),
      restorePoints: restorePoints
        .filter(point => !options.layer || point.layer === options.layer)
        .sort(byNewestTime),
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
    // The fleet of the last complete reconcile run when there is one (the
    // reader's permissions are checked below, per entity); the catalog
    // otherwise, e.g. right after start-up.
    const fleet = this.options.entities.fleet();
    const visible =
      fleet?.entities ??
      (
        await this.options.catalog.getEntities(
          {
            filter: {
              [`metadata.annotations.${BACKUPS_ANNOTATIONS.policy}`]:
                CATALOG_FILTER_EXISTS,
            },
          },
          { credentials: options.credentials },
        )
      ).items;
    const fleetRows = await this.fleetRows({
      entities: visible,
      version: fleet?.version,
    });
    const readable = await options.readable(
      fleetRows.map(row => row.entityRef),
    );
    const wantedOwner = options.owner
      ? stringifyEntityRef(
          parseEntityRef(options.owner, {
            defaultKind: 'group',
            defaultNamespace: 'default',
          }),
        )
      : undefined;
    const rows = fleetRows.filter(
      row =>
        readable.has(row.entityRef) &&
        (!wantedOwner || row.owner === wantedOwner) &&
        (!options.policy || row.policy === options.policy),
    );
    const stateCounts: OverviewPage['stateCounts'] = {};
    for (const row of rows) {
      stateCounts[row.state] = (stateCounts[row.state] ?? 0) + 1;
    }
    const filtered = options.state
      ? rows.filter(row => row.state === options.state)
      : rows;
    const offset = Math.max(0, options.offset ?? 0);
    const limit = Math.min(MAX_PAGE, Math.max(1, options.limit ?? 100));
    return {
      items: await this.withLastDrills(filtered.slice(offset, offset + limit)),
      totalCount: filtered.length,
      offset,
      limit,
      stateCounts,
      ...(fleet ? { entitiesAsOf: fleet.asOf.toISOString() } : {}),
    };
  }

  /**
   * Every row of the fleet, before the reader's filters. Made again at most
   * once a second while neither the fleet, nor a cluster's caches, nor the
   * dumps change (the statuses' own rule, see statusOf); always for a list
   * that came from the catalog (`version` undefined).
   */
  private async fleetRows(options: {
    entities: Entity[];
    version?: number;
  }): Promise<OverviewRow[]> {
    const dumps = await this.options.dumps.listAll();
    const key =
      options.version === undefined
        ? undefined
        : [
            options.version,
            Math.floor(this.now().getTime() / 1000),
            ...this.options.watchers.all().map(caches => caches.generation),
            dumps.length,
            dumps[0]?.finishedAt,
            dumps[dumps.length - 1]?.finishedAt,
          ].join(' ');
    if (key !== undefined && this.lastFleetRows?.key === key) {
      return this.lastFleetRows.rows;
    }
    const dumpsByEntity = byEntity(dumps);
    const clusterFacts = this.clusterFacts();
    const rows = options.entities.map(entity => {
      const entityRef = stringifyEntityRef(entity);
      const { status } = this.statusOf({
        entity,
        entityRef,
        dumps: dumpsByEntity.get(entityRef) ?? [],
        clusterFacts,
      });
      return overviewRow(entity, entityRef, status);
    });
    // The worst first, so that a page shows what needs attention.
    const rank = (state: ComplianceState) => -COMPLIANCE_STATES.indexOf(state);
    rows.sort(
      (a, b) =>
        rank(a.state) - rank(b.state) || byText(a.entityRef, b.entityRef),
    );
    if (key !== undefined) this.lastFleetRows = { key, rows };
    return rows;
  }

  /**
   * Statuses or fleet rows with their entity's newest finished drill, read
   * per request (kept out of the cached statuses: drills change them).
   */
  private async withLastDrills<T extends { entityRef: string }>(
    items: T[],
  ): Promise<Array<T & { lastDrill?: DrillSummary }>> {
    if (!this.options.drills || items.length === 0) return items;
    const lastDrills = await this.options.drills.latestFinished(
      items.map(item => item.entityRef),
    );
    return items.map(item => {
      const lastDrill = lastDrills.get(item.entityRef);
      return lastDrill ? { ...item, lastDrill } : item;
    });
  }

  /** Every opted-in entity the entity cache knows, with its status (metrics). */
  async fleet(): Promise<
    Array<{ status: EntityStatus; restorePoints: RestorePoint[] }>
  > {
    const dumpsByEntity = await this.dumpsByEntity();
    const clusterFacts = this.clusterFacts();
    return this.options.entities
      .all()
      .filter(
        entity => entity.metadata.annotations?.[BACKUPS_ANNOTATIONS.policy],
      )
      .map(entity =>
        this.statusOf({
          entity,
          dumps: dumpsByEntity.get(stringifyEntityRef(entity)) ?? [],
          clusterFacts,
        }),
      );
  }

  private async dumpsByEntity(): Promise<Map<string, DumpRecord[]>> {
    return byEntity(await this.options.dumps.listAll());
  }

  /**
   * An entity's status, computed again when its plan, one of its clusters'
   * caches or its dumps change, and at most once a second otherwise (ages
   * are given to the second): a fleet page asks for every entity, often.
   */
  private statusOf(options: {
    entity: Entity;
    entityRef?: string;
    dumps: DumpRecord[];
    clusterFacts?: ClusterFactsNow;
  }): ComputedStatus {
    const { watchers } = this.options;
    const { entity, dumps } = options;
    const now = this.now();
    const entityRef = options.entityRef ?? stringifyEntityRef(entity);
    const facts = options.clusterFacts ?? this.clusterFacts();
    const planned = this.planned.get({
      entity,
      entityRef,
      clusterFacts: facts.facts,
      clusterFactsVersion: facts.version,
    });
    const clusters =
      planned.plan.state === 'planned'
        ? planned.plan.clusters.map(
            cluster => watchers.caches(cluster.cluster)?.generation,
          )
        : [];
    const inputs = [
      Math.floor(now.getTime() / 1000),
      ...clusters,
      dumps.length,
      dumps[0]?.finishedAt,
      dumps[dumps.length - 1]?.finishedAt,
    ].join(' ');
    const known = this.computed.get(entityRef);
    if (known?.planned === planned && known.inputs === inputs) {
      return known.result;
    }
    const result = this.computeStatus({ entityRef, planned, dumps, now });
    this.computed.delete(entityRef);
    if (this.computed.size >= MAX_COMPUTED) {
      this.computed.delete(this.computed.keys().next().value!);
    }
    this.computed.set(entityRef, { planned, inputs, result });
    return result;
  }

  /** What statusOf needs of one entity: its recorded dumps, read only when it has a database layer. */
  private async withDumps(entity: Entity) {
    const entityRef = stringifyEntityRef(entity);
    const clusterFacts = this.clusterFacts();
    const { intent } = this.planned.get({
      entity,
      entityRef,
      clusterFacts: clusterFacts.facts,
      clusterFactsVersion: clusterFacts.version,
    });
    const hasDumps =
      intent.state === 'valid' && intent.intent.layers.includes('database');
    return {
      entity,
      entityRef,
      clusterFacts,
      dumps: hasDumps ? await this.options.dumps.list({ entityRef }) : [],
    };
  }

  /** What the planner must know of the clusters, once per request. */
  private clusterFacts(): ClusterFactsNow {
    const facts: Record<string, ClusterFacts> = {};
    for (const caches of this.options.watchers.all()) {
      if (caches.served) {
        facts[caches.cluster.name] = {
          hasSnapScheduler: caches.served.hasSnapScheduler,
        };
      }
    }
    return { facts, version: JSON.stringify(facts) };
  }

  private computeStatus(options: {
    entityRef: string;
    planned: Planned;
    dumps: DumpRecord[];
    now: Date;
  }): ComputedStatus {
    const { config, watchers } = this.options;
    const { entityRef, dumps, now } = options;
    const { intent, plan } = options.planned;
    const base = {
      entityRef,
      layers: [],
      clusters: [],
      warnings: [],
      generatedAt: now.toISOString(),
    };
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
}
