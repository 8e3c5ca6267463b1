import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import {
  ClusterPlan,
  EntityPlan,
  parseProtectionIntent,
  ProtectionIntent,
} from '@backups-for-backstage/plugin-backups-common';
import { BackupsConfig, toIntentContext } from '../config/readBackupsConfig';
import { planDatabaseLayer } from './database/planDatabaseLayer';
import { PlanContext } from './types';
import { planVeleroLayer } from './velero/planVeleroLayer';
import { planVolumeSnapshotLayer } from './volumeSnapshots/planVolumeSnapshotLayer';

export type { ClusterPlan, EntityPlan };

/** Facts about a cluster the planner cannot know from config alone. */
export interface ClusterFacts {
  hasSnapScheduler: boolean;
}

/**
 * What the planner reads for each of an entity's clusters, or why there is
 * nothing to plan. Restores and drills plan from the same contexts.
 */
export function planContexts(options: {
  entity: Entity;
  config: BackupsConfig;
  clusterFacts?: Record<string, ClusterFacts>;
}):
  | {
      state: 'planned';
      entityRef: string;
      intent: ProtectionIntent;
      contexts: PlanContext[];
    }
  | Exclude<EntityPlan, { state: 'planned' }> {
  const { entity, config } = options;
  const result = parseProtectionIntent(entity, toIntentContext(config));
  if (result.state === 'not-opted-in') {
    return { state: 'not-opted-in', entityRef: result.entityRef };
  }
  if (result.state === 'invalid') {
    return {
      state: 'invalid',
      entityRef: result.entityRef,
      errors: result.errors,
    };
  }
  const { intent } = result;
  const contexts = intent.clusters.map((name): PlanContext => {
    const cluster = config.clusters.find(candidate => candidate.name === name)!;
    return {
      entity: getCompoundEntityRef(entity),
      entityRef: result.entityRef,
      intent,
      cluster: {
        name,
        veleroNamespace: cluster.veleroNamespace,
        veleroStorageLocation: cluster.veleroStorageLocation,
        hasSnapScheduler:
          options.clusterFacts?.[name]?.hasSnapScheduler ?? false,
      },
      databaseDumps: config.databaseDumps,
      volumeSnapshots: config.volumeSnapshots,
    };
  });
  return { state: 'planned', entityRef: result.entityRef, intent, contexts };
}

/**
 * Turns an entity's annotations and the configuration into the objects each of
 * its clusters should hold. Pure: no I/O, the same input gives the same output.
 */
export function planEntity(options: {
  entity: Entity;
  config: BackupsConfig;
  clusterFacts?: Record<string, ClusterFacts>;
}): EntityPlan {
  const planned = planContexts(options);
  if (planned.state !== 'planned') return planned;
  const clusters = planned.contexts.map(ctx => {
    const { intent } = ctx;
    const plan: ClusterPlan = { cluster: ctx.cluster.name, objects: [] };
    if (intent.layers.includes('velero')) {
      plan.objects.push(...planVeleroLayer(ctx).objects);
    }
    if (intent.layers.includes('database')) {
      const database = planDatabaseLayer(ctx);
      plan.objects.push(...database.objects);
      plan.restoreJob = database.restoreJob;
    }
    if (intent.layers.includes('volume-snapshot')) {
      plan.objects.push(...planVolumeSnapshotLayer(ctx).objects);
    }
    return plan;
  });
  return {
    state: 'planned',
    entityRef: planned.entityRef,
    layers: planned.intent.layers,
    clusters,
  };
}
