import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  parseProtectionIntent,
  ProtectionIntentResult,
} from '@backups-for-backstage/plugin-backups-common';
import { BackupsConfig, toIntentContext } from '../config/readBackupsConfig';
import { ClusterFacts, EntityPlan, planEntity } from '../plan/planEntity';

export interface Planned {
  intent: ProtectionIntentResult;
  plan: EntityPlan;
}

/**
 * Each entity's parsed intent and plan, made again only when the entity
 * changes (the catalog's etag) or what is known of the clusters does: a
 * fleet's status reads every entity on every overview, and its annotations
 * change rarely. Entities without an etag are planned every time.
 */
export class PlannedEntities {
  private readonly entries = new Map<string, Planned & { version: string }>();

  constructor(
    private readonly options: { config: BackupsConfig; maxEntries?: number },
  ) {}

  get(options: {
    entity: Entity;
    entityRef?: string;
    clusterFacts: Record<string, ClusterFacts>;
    /** Text that changes when `clusterFacts` does (default: it as JSON). */
    clusterFactsVersion?: string;
  }): Planned {
    const { config } = this.options;
    const { entity, clusterFacts } = options;
    const etag = entity.metadata.etag;
    const make = (): Planned => ({
      intent: parseProtectionIntent(entity, toIntentContext(config)),
      plan: planEntity({ entity, config, clusterFacts }),
    });
    if (!etag) return make();
    const key = options.entityRef ?? stringifyEntityRef(entity);
    const version = `${etag} ${
      options.clusterFactsVersion ?? JSON.stringify(clusterFacts)
    }`;
    const known = this.entries.get(key);
    if (known?.version === version) return known;
    const planned = { ...make(), version };
    this.entries.delete(key);
    if (this.entries.size >= (this.options.maxEntries ?? 20_000)) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, planned);
    return planned;
  }
}
