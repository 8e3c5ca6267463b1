import { Entity } from '@backstage/catalog-model';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { backupsBackupCreatePermission } from '@backups-for-backstage/plugin-backups-common';
import {
  backupsConditions,
  createBackupsConditionalDecision,
  isEntityOwner,
} from './conditions';

const ORDERS: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders', namespace: 'default' },
  spec: { owner: 'team-orders' },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/team-orders' },
    { type: 'partOf', targetRef: 'system:default/shop' },
  ],
};

describe('the "caller owns the entity" condition', () => {
  it("is the catalog's own, so that the catalog evaluates it without an extra module", () => {
    const claims = ['user:default/dana', 'group:default/team-orders'];
    expect(backupsConditions.isEntityOwner({ claims })).toEqual(
      catalogConditions.isEntityOwner({ claims }),
    );
    expect(
      createBackupsConditionalDecision(
        backupsBackupCreatePermission,
        backupsConditions.isEntityOwner({ claims }),
      ),
    ).toEqual(
      createCatalogConditionalDecision(
        backupsBackupCreatePermission,
        catalogConditions.isEntityOwner({ claims }),
      ),
    );
  });

  it('holds for a claim named by an ownedBy relation, and only that relation', () => {
    expect(
      isEntityOwner.apply(ORDERS, { claims: ['group:default/team-orders'] }),
    ).toBe(true);
    expect(
      isEntityOwner.apply(ORDERS, { claims: ['system:default/shop'] }),
    ).toBe(false);
    expect(
      isEntityOwner.apply(
        { ...ORDERS, relations: undefined },
        { claims: ['group:default/team-orders'] },
      ),
    ).toBe(false);
    expect(isEntityOwner.toQuery({ claims: ['user:default/dana'] })).toEqual({
      key: 'relations.ownedBy',
      values: ['user:default/dana'],
    });
  });
});
