import { RestoreRecord } from '@backups-for-backstage/plugin-backups-common';
import { CachedClaim } from '../cluster/watch/projections';
import { advanceVolumeRestore } from './volumeProgress';

const STARTED = '2026-12-02T12:00:00.000Z';
const at = (minutes: number) =>
  new Date(new Date(STARTED).getTime() + minutes * 60_000);
const OPTIONS = { bindTimeoutMs: 10 * 60_000 };

const RECORD: RestoreRecord = {
  id: 'abcd1234',
  entityRef: 'component:default/orders',
  layer: 'volume-snapshot',
  cluster: 'a',
  restorePoint: { id: 'orders-data-20261202110000', time: 'x' },
  target: {
    mode: 'in-place',
    namespace: 'shop',
    claim: 'orders-data-restore-abcd1234',
    sourceClaim: 'orders-data',
  },
  requestedBy: 'user:default/guest',
  requestedAt: STARTED,
  state: 'running',
  steps: [
    {
      name: 'claim',
      title: 'Create the PVC',
      state: 'running',
      startedAt: STARTED,
    },
  ],
  created: [],
};

const claim = (phase: string): CachedClaim => ({
  namespace: 'shop',
  name: 'orders-data-restore-abcd1234',
  labels: {},
  phase,
  restoreId: 'abcd1234',
});

describe('advanceVolumeRestore', () => {
  it('waits while the claim is Pending within the bind timeout', () => {
    expect(
      advanceVolumeRestore(
        RECORD,
        { claim: claim('Pending') },
        { now: at(9), ...OPTIONS },
      ),
    ).toBe(RECORD);
  });

  it('completes once the claim is Bound, saying how to switch in place', () => {
    const next = advanceVolumeRestore(
      RECORD,
      { claim: claim('Bound') },
      { now: at(1), ...OPTIONS },
    );
    expect(next).toMatchObject({
      state: 'completed',
      finishedAt: at(1).toISOString(),
      steps: [{ state: 'succeeded' }],
    });
    expect(next.outcome).toContain(
      "point its volume's claimName at orders-data-restore-abcd1234",
    );
  });

  it.each([
    [
      'a claim that has not bound in time',
      { claim: claim('Pending') },
      10,
      /did not bind within 10 min \(still Pending\)/,
    ],
    [
      'a claim that is gone',
      {},
      10,
      /did not bind within 10 min \(it is gone\)/,
    ],
    ['a Lost claim', { claim: claim('Lost') }, 1, /lost its volume/],
    [
      'a snapshot copy the driver refuses',
      {
        claim: claim('Pending'),
        copy: {
          namespace: 'shop',
          name: 'orders-data-20261202110000',
          onDemand: false,
          readyToUse: false,
          error: 'snapshot snapshot-x not found',
        },
      },
      1,
      /cannot be used: snapshot snapshot-x not found/,
    ],
  ])('fails on %s, naming the step', (_what, objects, minutes, message) => {
    const next = advanceVolumeRestore(RECORD, objects, {
      now: at(minutes),
      ...OPTIONS,
    });
    expect(next.state).toBe('failed');
    expect(next.outcome).toMatch(message);
    expect(next.steps[0]).toMatchObject({
      name: 'claim',
      state: 'failed',
      message: next.outcome,
    });
  });

  it('leaves a pending claim step alone (the copy is still being made)', () => {
    const record: RestoreRecord = {
      ...RECORD,
      steps: [
        {
          name: 'snapshot-copy',
          title: 'Copy',
          state: 'running',
          startedAt: STARTED,
        },
        { name: 'claim', title: 'Claim', state: 'pending' },
      ],
    };
    expect(advanceVolumeRestore(record, {}, { now: at(60), ...OPTIONS })).toBe(
      record,
    );
  });
});
