import { createHash } from 'node:crypto';
import {
  BackupLayer,
  ENTITY_REF_ANNOTATION,
  MANAGED_BY_VALUE,
  MANAGED_OBJECT_LABELS,
} from '@backups-for-backstage/plugin-backups-common';
import { PlanContext, PlannedObject } from './types';

/** Kubernetes object name limits the planner must respect. */
export const NAME_LIMITS = {
  cronJob: 52,
  /** Jobs put their name into a label (≤ 63). */
  job: 63,
  /** DNS-1123 subdomain names (most kinds). */
  subdomain: 253,
  /** Velero names Backups `<schedule>-YYYYMMDDhhmmss` and labels them with the schedule name (≤ 63). */
  veleroSchedule: 63 - 15,
} as const;

function hash(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/**
 * A stable DNS-1123 name for one of an entity's objects:
 * `<entity name>-<suffix>` when it fits, otherwise the entity name shortened and
 * followed by a hash of the full entity ref, so names stay unique across
 * entities (same name in two namespaces or kinds) and stable for one entity.
 */
export function objectName(
  ctx: PlanContext,
  suffix: string,
  maxLength: number,
): string {
  const base = ctx.entity.name.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const exact = `${base}-${suffix}`;
  // Plain names only where they cannot collide: components of the default
  // namespace whose name needed no rewriting. Everything else gets a hash.
  const unique =
    ctx.entity.namespace === 'default' &&
    ctx.entity.kind.toLowerCase() === 'component' &&
    base === ctx.entity.name;
  if (unique && exact.length <= maxLength && /^[a-z0-9]/.test(exact)) {
    return exact;
  }
  const digest = hash(ctx.entityRef, 8);
  const room = maxLength - suffix.length - digest.length - 2;
  const head = base.slice(0, Math.max(1, room)).replace(/-+$/, '') || 'x';
  return `${head}-${digest}-${suffix}`;
}

/** A label value (≤ 63 chars, alphanumeric at both ends), shortened with a hash. */
export function labelValue(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9_.-]/g, '-');
  if (cleaned.length <= 63 && /^[A-Za-z0-9](.*[A-Za-z0-9])?$/.test(cleaned)) {
    return cleaned;
  }
  const head = cleaned
    .slice(0, 54)
    .replace(/[^A-Za-z0-9]+$/, '')
    .replace(/^[^A-Za-z0-9]+/, '');
  return `${head || 'x'}-${hash(value, 8)}`;
}

/** The labels and annotations every managed object carries (SPEC.md). */
export function managedMetadata(
  ctx: PlanContext,
  layer: BackupLayer,
  options: { name: string; namespace?: string },
): PlannedObject['metadata'] {
  return {
    name: options.name,
    ...(options.namespace ? { namespace: options.namespace } : {}),
    labels: {
      [MANAGED_OBJECT_LABELS.managedBy]: MANAGED_BY_VALUE,
      [MANAGED_OBJECT_LABELS.entityKind]: labelValue(
        ctx.entity.kind.toLowerCase(),
      ),
      [MANAGED_OBJECT_LABELS.entityNamespace]: labelValue(ctx.entity.namespace),
      [MANAGED_OBJECT_LABELS.entityName]: labelValue(ctx.entity.name),
      [MANAGED_OBJECT_LABELS.layer]: layer,
    },
    annotations: { [ENTITY_REF_ANNOTATION]: ctx.entityRef },
  };
}

/** The entity's managed labels as one key, as `entityKeyOfLabels` reads them from objects. */
export function entityLabelKey(entity: {
  kind: string;
  namespace: string;
  name: string;
}): string {
  return [
    labelValue(entity.kind.toLowerCase()),
    labelValue(entity.namespace),
    labelValue(entity.name),
  ].join('/');
}
