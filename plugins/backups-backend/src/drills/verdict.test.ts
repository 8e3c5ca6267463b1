import { drillVerdict } from './verdict';

const MINUTE = 60_000;
const START = '2026-12-02T03:00:00.000Z';
const after = (minutes: number) =>
  new Date(new Date(START).getTime() + minutes * MINUTE).toISOString();
const TARGETS = { rtoMs: 30 * MINUTE, rpoMs: 60 * MINUTE };
const point = (id: string) => ({ id, time: START });
const LAYERS = [
  {
    layer: 'velero' as const,
    restorePoint: point('b'),
    ageMs: 5 * 60 * MINUTE,
  },
  { layer: 'database' as const, restorePoint: point('d'), ageMs: 20 * MINUTE },
];
const DATA = ['database' as const, 'volume-snapshot' as const];

describe('drillVerdict', () => {
  it('passes within both targets, the RPO from the freshest data layer', () => {
    expect(
      drillVerdict({
        startedAt: START,
        verifiedAt: after(12),
        layers: LAYERS,
        dataLayers: DATA,
        targets: TARGETS,
      }),
    ).toEqual({
      state: 'passed',
      outcome:
        'Restored and verified in 12 min (RTO 30 min) from restore points 20 min old (RPO 1 h).',
      achieved: { rtoMs: 12 * MINUTE, rpoMs: 20 * MINUTE, layers: LAYERS },
    });
  });

  it('misses the target when slower than the RTO or older than the RPO, saying which', () => {
    const slow = drillVerdict({
      startedAt: START,
      verifiedAt: after(45),
      layers: [{ ...LAYERS[1], ageMs: 90 * MINUTE }],
      dataLayers: DATA,
      targets: TARGETS,
    });
    expect(slow.state).toBe('missed-target');
    expect(slow.outcome).toBe(
      'Restored and verified, but it took 45 min against an RTO of 30 min and its freshest restore point was 1 h 30 min old against an RPO of 1 h.',
    );
  });

  it('counts the Velero layer for the RPO only when no data layer was drilled', () => {
    const veleroOnly = drillVerdict({
      startedAt: START,
      verifiedAt: after(5),
      layers: [LAYERS[0]],
      dataLayers: DATA,
      targets: TARGETS,
    });
    expect(veleroOnly).toMatchObject({
      state: 'missed-target',
      achieved: { rpoMs: 5 * 60 * MINUTE },
    });
  });

  it('fails naming the step, without an RTO', () => {
    const failed = drillVerdict({
      startedAt: START,
      failure: { step: 'velero-restore', why: "Velero's restore failed" },
      layers: LAYERS,
      dataLayers: DATA,
      targets: TARGETS,
    });
    expect(failed).toEqual({
      state: 'failed',
      failedStep: 'velero-restore',
      outcome: "Failed at velero-restore: Velero's restore failed.",
      achieved: { rpoMs: 20 * MINUTE, layers: LAYERS },
    });
  });
});
