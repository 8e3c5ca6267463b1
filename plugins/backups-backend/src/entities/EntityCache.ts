import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
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
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      ttlMs?: number;
      now?: () => number;
      /** Entries kept at most (default 20,000). */
      maxEntries?: number;
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

  /** Every entity held, fresh or not (the fleet as last read). */
  all(): Entity[] {
    return [...this.entries.values()].map(entry => entry.entity);
  }

  /** Fresh from the catalog (the reconcile stream, the overview query). */
  put(entity: Entity): void {
    const key = stringifyEntityRef(entity);
    this.entries.delete(key);
    if (this.entries.size >= (this.options.maxEntries ?? 20_000)) {
      // The oldest entry goes first (a Map keeps insertion order).
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, { entity, at: this.now() });
  }
}
