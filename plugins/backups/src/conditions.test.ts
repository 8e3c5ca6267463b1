import { Entity } from '@backstage/catalog-model';
import { isBackupsAvailable } from './conditions';

function entity(annotations?: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders', annotations },
  };
}

describe('isBackupsAvailable', () => {
  it('is true when the entity names a backup policy', () => {
    expect(isBackupsAvailable(entity({ 'backups/policy': 'gold' }))).toBe(true);
  });

  it('is true for an empty policy, which the Backups tab reports as invalid', () => {
    expect(isBackupsAvailable(entity({ 'backups/policy': '' }))).toBe(true);
  });

  it('is false without the policy annotation, even with other backups annotations', () => {
    expect(isBackupsAvailable(entity())).toBe(false);
    expect(
      isBackupsAvailable(
        entity({
          'backups/layers': 'velero',
          'backstage.io/kubernetes-id': 'orders',
        }),
      ),
    ).toBe(false);
  });
});
