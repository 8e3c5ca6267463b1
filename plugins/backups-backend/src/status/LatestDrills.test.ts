import { DrillRecord } from '@backups-for-backstage/plugin-backups-common';
import { drillRecord, passedDrillRecord } from '../__testUtils__/drillRecords';
import { drillSummary, StoredLatestDrills } from './LatestDrills';

const MINUTE = 60_000;
const ORDERS = 'component:default/orders';
const PAYMENTS = 'component:default/payments';

const PASSED = passedDrillRecord();

/** A drill store holding these records, newest first per entity, that counts its look-ups. */
function storeOf(records: DrillRecord[]) {
  const calls: Array<{ entityRef: string; limit?: number }> = [];
  return {
    calls,
    async list(options: { entityRef: string; limit?: number }) {
      calls.push(options);
      return records
        .filter(record => record.entityRef === options.entityRef)
        .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt))
        .slice(0, options.limit ?? 50);
    },
  };
}

describe('drillSummary', () => {
  it('sums a failed drill up with the failing step and its title, without an RTO', () => {
    expect(drillSummary(drillRecord())).toEqual({
      id: 'd1',
      state: 'failed',
      requestedAt: '2026-12-02T03:00:00.000Z',
      finishedAt: '2026-12-02T03:04:00.000Z',
      targetRtoMs: 30 * MINUTE,
      failedStep: 'velero-restore',
      failedStepTitle: 'Velero restores the newest good backup',
      outcome: "Failed at velero-restore: Velero's restore failed.",
    });
  });

  it('sums a passed drill up with its RTO against the target', () => {
    expect(drillSummary(PASSED)).toEqual({
      id: 'd2',
      state: 'passed',
      requestedAt: '2026-12-03T03:00:00.000Z',
      finishedAt: '2026-12-03T03:14:00.000Z',
      achievedRtoMs: 12 * MINUTE,
      targetRtoMs: 30 * MINUTE,
      outcome: 'Restored and verified in 12 min (RTO 30 min).',
    });
  });

  it('has nothing to say of a running drill', () => {
    expect(drillSummary(drillRecord({ state: 'running' }))).toBeUndefined();
  });
});

describe('StoredLatestDrills', () => {
  it('gives the newest finished drill per entity, past a running one, and leaves out entities without one', async () => {
    const store = storeOf([
      drillRecord(),
      PASSED,
      drillRecord({
        id: 'd3',
        requestedAt: '2026-12-04T03:00:00.000Z',
        state: 'running',
        finishedAt: undefined,
      }),
      drillRecord({
        id: 'p1',
        entityRef: PAYMENTS,
        state: 'running',
        finishedAt: undefined,
      }),
    ]);
    const latest = await new StoredLatestDrills(store).latestFinished([
      ORDERS,
      PAYMENTS,
      'component:default/ghost',
      ORDERS,
    ]);
    expect([...latest.entries()]).toEqual([[ORDERS, drillSummary(PASSED)]]);
    // One look-up per entity, of its two newest drills.
    expect(store.calls.map(call => [call.entityRef, call.limit])).toEqual([
      [ORDERS, 2],
      [PAYMENTS, 2],
      ['component:default/ghost', 2],
    ]);
  });

  it('asks nothing for no entity', async () => {
    const store = storeOf([drillRecord()]);
    expect((await new StoredLatestDrills(store).latestFinished([])).size).toBe(
      0,
    );
    expect(store.calls).toEqual([]);
  });
});
