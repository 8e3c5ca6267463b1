import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * Entities by ref, kept a short while: the catalog hop is the slow part of a
 * status request, and the reconcile stream reads every opted-in entity every
 * few minutes anyway. A miss (or a stale entry) asks the catalog with the
 * caller's credentials. The permission decision stays per request: callers
 * check `backups.entity.read` before they get here.
 */
export class EntityCache {
  private readonly entries = new Map<string, { entity: Entity; at: number }>();
  private lastFleet?: { entityRefs: string[]; at: number };
  /** Changes whenever an entity is added or changes (by its etag). */
  private version = 0;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      ttlMs?: number;
      now?: () => number;
      /** Entries kept at most (default 20,000). */
      maxEntries?: number;
      /** How long the fleet of a complete reconcile run stands (default 15 min). */
      fleetMaxAgeMs?: number;
    },
  ) {
    this.ttlMs = options.ttlMs ?? 5 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  async get(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<Entity | undefined> {
    const key = stringifyEntityRef(entityRef);
    const cached = this.entries.get(key);
    if (cached && this.now() - cached.at <= this.ttlMs) return cached.entity;
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (entity) this.put(entity);
    else this.entries.delete(key);
    return entity;
  }

  /** As `get`, and a NotFoundError when the catalog does not have it (or the caller may not see it). */
  async require(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.get(entityRef, credentials);
    if (!entity) {
      throw new NotFoundError(
        `No entity ${stringifyEntityRef(entityRef)} in the catalog`,
      );
    }
    return entity;
  }

  /** Every entity held, fresh or not (the fleet as last read). */
  all(): Entity[] {
    return [...this.entries.values()].map(entry => entry.entity);
  }

  /**
   * Every opted-in entity, as a complete reconcile run streamed them from the
   * catalog. The fleet page lists these rather than asking the catalog for
   * the whole fleet on every view (the slow part of the page); callers check
   * the reader's catalog and backups permissions per entity and request.
   */
  setFleet(entities: Entity[]): void {
    entities.forEach(entity => this.put(entity));
    this.version += 1;
    this.lastFleet = {
      entityRefs: entities.map(entity => stringifyEntityRef(entity)),
      at: this.now(),
    };
  }

  /**
   * The fleet of the last complete reconcile run, unless it is too old or not
   * known; `version` changes when the fleet or one of its entities does.
   */
  fleet(): { entities: Entity[]; asOf: Date; version: number } | undefined {
    const fleet = this.lastFleet;
    const maxAgeMs = this.options.fleetMaxAgeMs ?? 15 * 60 * 1000;
    if (!fleet || this.now() - fleet.at > maxAgeMs) return undefined;
    const entities: Entity[] = [];
    for (const entityRef of fleet.entityRefs) {
      const entry = this.entries.get(entityRef);
      // Evicted (a fleet larger than the cache): not complete, ask the catalog.
      if (!entry) return undefined;
      entities.push(entry.entity);
    }
    return { entities, asOf: new Date(fleet.at), version: this.version };
  }

  /** Fresh from the catalog (the reconcile stream, the overview query). */
  put(entity: Entity): void {
    const key = stringifyEntityRef(entity);
    const etag = this.entries.get(key)?.entity.metadata.etag;
    if (!etag || etag !== entity.metadata.etag) this.version += 1;
    this.entries.delete(key);
    if (this.entries.size >= (this.options.maxEntries ?? 20_000)) {
      // The oldest entry goes first (a Map keeps insertion order).
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, { entity, at: this.now() });
  }
}
