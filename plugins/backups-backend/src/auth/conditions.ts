import { RELATION_OWNED_BY } from '@backstage/catalog-model';
import { catalogEntityPermissionResourceRef } from '@backstage/plugin-catalog-node/alpha';
import {
  createConditionExports,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';

/**
 * The caller owns the entity: one of the caller's ownership refs (the user
 * and the groups they are a member of, as sign-in resolved them) is the
 * target of one of the entity's `ownedBy` relations.
 *
 * Every backups permission is a resource permission on catalog entities, so
 * the catalog evaluates the conditions a policy returns for them. This rule is
 * the catalog's own `IS_ENTITY_OWNER`, by name and parameters: a policy
 * written with these conditions needs no extra module in the catalog.
 *
 * @alpha
 */
export const isEntityOwner = createPermissionRule({
  name: 'IS_ENTITY_OWNER',
  description: 'Allow entities owned by one of the given claims',
  resourceRef: catalogEntityPermissionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe(
        `Ownership refs, one of which the ${RELATION_OWNED_BY} relation must name`,
      ),
  }),
  apply: (entity, { claims }) =>
    (entity.relations ?? []).some(
      relation =>
        relation.type === RELATION_OWNED_BY &&
        claims.includes(relation.targetRef),
    ),
  toQuery: ({ claims }) => ({ key: 'relations.ownedBy', values: claims }),
});

/**
 * The permission rules of the backups plugin.
 *
 * @alpha
 */
export const backupsPermissionRules = { isEntityOwner };

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: catalogEntityPermissionResourceRef,
  rules: backupsPermissionRules,
});

/**
 * Conditions for the backups permissions, for permission policies:
 * `backupsConditions.isEntityOwner({ claims: user.info.ownershipEntityRefs })`.
 *
 * @alpha
 */
export const backupsConditions = conditions;

/**
 * Wraps conditions into the decision a permission policy returns for a
 * backups permission.
 *
 * @alpha
 */
export const createBackupsConditionalDecision = createConditionalDecision;
