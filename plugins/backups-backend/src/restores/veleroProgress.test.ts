import { RestoreRecord } from '@backups-for-backstage/plugin-backups-common';
import { CachedRestore } from '../cluster/watch/projections';
import { advanceVeleroRestore } from './veleroProgress';

const NOW = new Date('2026-12-02T12:00:00Z');

const RECORD: RestoreRecord = {
  id: 'abcd1234',
  entityRef: 'component:default/orders',
  layer: 'velero',
  cluster: 'a',
  restorePoint: { id: 'orders-velero-20261202100000', time: 'x' },
  target: {
    mode: 'in-place',
    namespace: 'shop',
    existingResourcePolicy: 'none',
  },
  requestedBy: 'user:default/guest',
  requestedAt: '2026-12-02T11:59:00.000Z',
  state: 'running',
  steps: [
    {
      name: 'velero-restore',
      title: 'Velero restores',
      state: 'running',
      startedAt: '2026-12-02T11:59:00.000Z',
    },
  ],
  created: [],
};

const restore = (overrides: Partial<CachedRestore>): CachedRestore => ({
  name: 'orders-restore-abcd1234',
  restoreId: 'abcd1234',
  phase: 'InProgress',
  validationErrors: [],
  ...overrides,
});

describe('advanceVeleroRestore', () => {
  it('keeps the same record while nothing it shows changed', () => {
    expect(advanceVeleroRestore(RECORD, undefined, NOW)).toBe(RECORD);
    expect(
      advanceVeleroRestore(
        RECORD,
        restore({ startedAt: '2026-12-02T11:59:00.000Z' }),
        NOW,
      ),
    ).toBe(RECORD);
  });

  it('reports progress while Velero restores', () => {
    const next = advanceVeleroRestore(
      RECORD,
      restore({ itemsRestored: 3, totalItems: 8 }),
      NOW,
    );
    expect(next.steps[0].message).toBe('Velero has restored 3 of 8 items.');
    expect(next.state).toBe('running');
  });

  it('fails a partially failed restore, with the counts and where to look', () => {
    const next = advanceVeleroRestore(
      RECORD,
      restore({ phase: 'PartiallyFailed', errors: 2, warnings: 1 }),
      NOW,
    );
    expect(next).toMatchObject({
      state: 'failed',
      errors: 2,
      warnings: 1,
      finishedAt: NOW.toISOString(),
      outcome:
        'Velero restored only part of the backup (2 error(s), 1 warning(s)); see velero restore describe orders-restore-abcd1234 --details.',
    });
  });

  it('says in place what it did with existing objects', () => {
    const next = advanceVeleroRestore(
      RECORD,
      restore({
        phase: 'Completed',
        completedAt: NOW.toISOString(),
        itemsRestored: 8,
        totalItems: 8,
      }),
      NOW,
    );
    expect(next.outcome).toBe(
      'Restored in place into shop of cluster a: objects that were missing were created; existing ones were left as they were.',
    );
    expect(advanceVeleroRestore(next, restore({ phase: 'Failed' }), NOW)).toBe(
      next,
    );
  });
});
