import { metricsServiceMock } from '@backstage/backend-test-utils/alpha';
import { EntityStatus } from '@backups-for-backstage/plugin-backups-common';
import { drillSummary } from './LatestDrills';
import { drillRecord, passedDrillRecord } from '../__testUtils__/drillRecords';
import { registerStatusMetrics } from './statusMetrics';

const entity = (name: string) => `component:default/${name}`;

describe('the status metrics', () => {
  it("observe the RTO each entity's newest finished drill achieved, in seconds, and none for a failed one", async () => {
    const metrics = metricsServiceMock.mock();
    const latestFinished = jest.fn(async (entityRefs: string[]) => {
      expect(entityRefs).toEqual([entity('orders'), entity('payments')]);
      return new Map([
        [entity('orders'), drillSummary(passedDrillRecord())!],
        [
          entity('payments'),
          drillSummary(drillRecord({ entityRef: entity('payments') }))!,
        ],
      ]);
    });
    registerStatusMetrics({
      metrics,
      fleet: async () =>
        ['orders', 'payments'].map(name => ({
          status: {
            entityRef: entity(name),
            state: 'protected',
            layers: [],
          } as unknown as EntityStatus,
          restorePoints: [],
        })),
      latestDrills: { latestFinished },
    });

    const gauge = metrics.createObservableGauge.mock.calls.findIndex(
      ([name]) => name === 'backups.drill.achieved_rto_seconds',
    );
    expect(metrics.createObservableGauge.mock.calls[gauge][1]).toMatchObject({
      unit: 's',
    });
    const [callback] = (
      metrics.createObservableGauge.mock.results[gauge].value
        .addCallback as jest.Mock
    ).mock.calls[0];
    const observe = jest.fn();
    await callback({ observe });
    expect(observe.mock.calls).toEqual([[720, { entity: entity('orders') }]]);
  });
});
