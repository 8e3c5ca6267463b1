import { latestRunBetween, parseStandardCron } from './cron';
import { formatGoDuration, parseGoDuration } from './durations';
import { formatBinaryQuantity, parseQuantity } from './quantity';

function nextRuns(
  spec: string,
  from: string,
  count: number,
  zone?: string,
): string[] {
  const parsed = parseStandardCron(spec, zone);
  if ('error' in parsed) throw new Error(parsed.error);
  const runs: string[] = [];
  let t: Date | undefined = new Date(from);
  for (let i = 0; i < count && t; i++) {
    t = parsed.schedule.next(t);
    if (t) runs.push(t.toISOString().replace('.000Z', 'Z'));
  }
  return runs;
}

const errorOf = (spec: string) => {
  const parsed = parseStandardCron(spec);
  return 'error' in parsed ? parsed.error : undefined;
};

describe('parseStandardCron (robfig/cron ParseStandard semantics)', () => {
  it('computes the next runs of five-field schedules in UTC, strictly after the given time', () => {
    expect(nextRuns('0 * * * *', '2025-03-10T09:00:00Z', 2)).toEqual([
      '2025-03-10T10:00:00Z',
      '2025-03-10T11:00:00Z',
    ]);
    expect(nextRuns('*/30 2-3 * * *', '2025-03-10T09:00:00Z', 3)).toEqual([
      '2025-03-11T02:00:00Z',
      '2025-03-11T02:30:00Z',
      '2025-03-11T03:00:00Z',
    ]);
    expect(nextRuns('0 3 * * SUN', '2025-03-10T00:00:00Z', 1)).toEqual([
      '2025-03-16T03:00:00Z',
    ]);
    expect(nextRuns('15 4 1 jan,Jul ?', '2025-03-10T00:00:00Z', 2)).toEqual([
      '2025-07-01T04:15:00Z',
      '2026-01-01T04:15:00Z',
    ]);
  });

  it('ORs day-of-month and day-of-week when both are restricted, as cron does', () => {
    // The 15th, or any Monday.
    expect(nextRuns('0 0 15 * 1', '2025-03-10T00:00:00Z', 3)).toEqual([
      '2025-03-15T00:00:00Z',
      '2025-03-17T00:00:00Z',
      '2025-03-24T00:00:00Z',
    ]);
    // A star (or */1) on one side makes it an AND.
    expect(nextRuns('0 0 */1 * 1', '2025-03-10T00:00:00Z', 2)).toEqual([
      '2025-03-17T00:00:00Z',
      '2025-03-24T00:00:00Z',
    ]);
  });

  it('accepts descriptors, @every and a time zone prefix', () => {
    expect(nextRuns('@daily', '2025-03-10T09:00:00Z', 1)).toEqual([
      '2025-03-11T00:00:00Z',
    ]);
    expect(nextRuns('@every 90m', '2025-03-10T09:00:00Z', 2)).toEqual([
      '2025-03-10T10:30:00Z',
      '2025-03-10T12:00:00Z',
    ]);
    expect(
      nextRuns('CRON_TZ=Europe/Paris 0 9 * * *', '2025-07-01T00:00:00Z', 1),
    ).toEqual(['2025-07-01T07:00:00Z']);
    expect(
      nextRuns('0 9 * * *', '2025-07-01T00:00:00Z', 1, 'Asia/Tokyo'),
    ).toEqual(['2025-07-02T00:00:00Z']);
  });

  it('rejects what robfig/cron rejects, with its messages', () => {
    expect(errorOf('')).toBe('empty spec string');
    expect(errorOf('0 * * *')).toBe(
      'expected exactly 5 fields, found 4: [0 * * *]',
    );
    expect(errorOf('0 0 * * * *')).toBe(
      'expected exactly 5 fields, found 6: [0 0 * * * *]',
    );
    expect(errorOf('60 * * * *')).toBe(
      'end of range (60) above maximum (59): 60',
    );
    expect(errorOf('0 0 0 * *')).toBe(
      'beginning of range (0) below minimum (1): 0',
    );
    expect(errorOf('0 0 * * 7')).toBe('end of range (7) above maximum (6): 7');
    expect(errorOf('5-1 * * * *')).toBe(
      'beginning of range (5) beyond end of range (1): 5-1',
    );
    expect(errorOf('*/0 * * * *')).toBe(
      'step of range should be a positive number: */0',
    );
    expect(errorOf('a * * * *')).toBe(
      'failed to parse int from a: strconv.Atoi: parsing "a": invalid syntax',
    );
    expect(errorOf('1-2-3 * * * *')).toBe('too many hyphens: 1-2-3');
    expect(errorOf('@reboot')).toBe('unrecognized descriptor: @reboot');
    expect(errorOf('TZ=Mars/Olympus 0 * * * *')).toBe(
      'provided bad location Mars/Olympus: unknown time zone Mars/Olympus',
    );
    expect(errorOf('0 0 L * *')).toBeDefined();
  });

  it('finds the latest run in a window, or none', () => {
    const parsed = parseStandardCron('*/15 * * * *');
    if ('error' in parsed) throw new Error(parsed.error);
    const at = (iso: string) => new Date(iso);
    expect(
      latestRunBetween(
        parsed.schedule,
        at('2025-03-10T09:00:00Z'),
        at('2025-03-10T09:50:00Z'),
      ),
    ).toEqual(at('2025-03-10T09:45:00Z'));
    expect(
      latestRunBetween(
        parsed.schedule,
        at('2025-03-10T09:45:00Z'),
        at('2025-03-10T09:59:59Z'),
      ),
    ).toBeUndefined();
    const never = parseStandardCron('0 0 30 2 *');
    if ('error' in never) throw new Error(never.error);
    expect(never.schedule.next(at('2025-03-10T09:00:00Z'))).toBeUndefined();
  });
});

describe('Go durations and quantities', () => {
  it('parses and prints durations as Go does', () => {
    expect(parseGoDuration('720h0m0s')).toBe(720 * 3_600_000);
    expect(parseGoDuration('1h30m')).toBe(90 * 60_000);
    expect(parseGoDuration('1.5h')).toBe(90 * 60_000);
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('10')).toBeUndefined();
    expect(parseGoDuration('1d')).toBeUndefined();
    expect(formatGoDuration(720 * 3_600_000)).toBe('720h0m0s');
    expect(formatGoDuration(10 * 60_000)).toBe('10m0s');
    expect(formatGoDuration(90_500)).toBe('1m30.5s');
  });

  it('reads quantities and prints byte counts as resource.NewQuantity(BinarySI)', () => {
    expect(parseQuantity('10Gi')).toBe(10 * 1024 ** 3);
    expect(parseQuantity('500M')).toBe(500e6);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('ten')).toBeUndefined();
    expect(formatBinaryQuantity(10 * 1024 ** 3)).toBe('10Gi');
    expect(formatBinaryQuantity(1536 * 1024)).toBe('1536Ki');
    expect(formatBinaryQuantity(500e6)).toBe('500000000');
  });
});
