import {
  latestRun,
  describeSchedule,
  nextRun,
  scheduleGraceMs,
  schedulePeriodMs,
} from './schedule';

describe('describeSchedule', () => {
  it.each([
    ['0 3 * * 0', 'At 03:00 AM, only on Sunday'],
    ['*/30 * * * *', 'Every 30 minutes'],
    ['0 * * * *', 'Every hour'],
    ['0 */6 * * *', 'On the hour, every 6 hours'],
  ])('puts %j in words', (cron, words) => {
    expect(describeSchedule(cron)).toBe(words);
  });

  it('falls back to the expression when it cannot describe it', () => {
    expect(describeSchedule('not a cron')).toBe('not a cron');
  });
});

describe('nextRun', () => {
  it.each([
    // Monday noon → the next Sunday 03:00
    ['0 3 * * 0', '2024-01-01T12:00:00.000Z', '2024-01-07T03:00:00.000Z'],
    // exactly at a firing → the one after
    ['0 3 * * 0', '2024-01-07T03:00:00.000Z', '2024-01-14T03:00:00.000Z'],
    ['*/30 * * * *', '2024-01-01T10:10:00.000Z', '2024-01-01T10:30:00.000Z'],
    ['0 * * * *', '2024-02-29T23:59:59.000Z', '2024-03-01T00:00:00.000Z'],
    ['0 9 * * MON-FRI', '2024-01-05T10:00:00.000Z', '2024-01-08T09:00:00.000Z'],
  ])('%s after %s fires at %s (UTC)', (cron, from, expected) => {
    expect(nextRun(cron, new Date(from))?.toISOString()).toBe(expected);
  });

  it('counts from now by default', () => {
    const before = Date.now();
    const next = nextRun('* * * * *');
    expect(next).toBeInstanceOf(Date);
    expect(next!.getTime()).toBeGreaterThan(before);
    expect(next!.getTime()).toBeLessThanOrEqual(before + 60 * 1000);
  });

  it('answers from any time, in any order (it remembers the last answer)', () => {
    const hour = 3600 * 1000;
    const start = Date.parse('2026-12-02T10:00:00Z');
    // Forwards within an hour, across its end, then back into the past.
    const offsets = [1, 59 * 60_000, hour - 1, hour, hour + 1, -hour - 1, 5];
    for (const offset of offsets) {
      const from = start + offset;
      expect(nextRun('0 * * * *', new Date(from))?.getTime()).toBe(
        Math.floor(from / hour) * hour + hour,
      );
    }
    // @every counts from the time asked.
    for (const offset of [0, 1000, -60_000]) {
      expect(nextRun('@every 90m', new Date(start + offset))?.getTime()).toBe(
        start + offset + 90 * 60_000,
      );
    }
  });

  it('is undefined for a schedule that never fires', () => {
    expect(
      nextRun('0 0 30 2 *', new Date('2024-01-01T00:00:00Z')),
    ).toBeUndefined();
  });
});

describe('schedulePeriodMs and scheduleGraceMs', () => {
  const at = new Date('2026-12-02T12:00:00Z');
  it.each([
    ['*/30 * * * *', 30 * 60 * 1000],
    ['0 * * * *', 3600 * 1000],
    ['0 */6 * * *', 6 * 3600 * 1000],
    ['@daily', 24 * 3600 * 1000],
    ['0 3 * * 0', 7 * 24 * 3600 * 1000],
    // Friday 09:00 to Monday 09:00: the weekend is one period.
    ['0 9 * * 1-5', 3 * 24 * 3600 * 1000],
    ['@every 90m', 90 * 60 * 1000],
  ])('%s has a period of %d ms', (cron, period) => {
    expect(schedulePeriodMs(cron, at)).toBe(period);
  });

  it('reads schedules that run less often than monthly from the gap around the time', () => {
    expect(schedulePeriodMs('@yearly', at)).toBe(365 * 24 * 3600 * 1000);
  });

  it('is undefined for a schedule that never fires', () => {
    expect(schedulePeriodMs('0 0 30 2 *', at)).toBeUndefined();
  });

  it('gives 10 % of the period as grace, at least 15 minutes', () => {
    expect(scheduleGraceMs(30 * 60 * 1000)).toBe(15 * 60 * 1000);
    expect(scheduleGraceMs(6 * 3600 * 1000)).toBe(36 * 60 * 1000);
  });
});

describe('latestRun', () => {
  const at = (iso: string) => new Date(iso);

  it('answers the latest run in the window, strictly after its start', () => {
    expect(
      latestRun('0 3 * * *', {
        after: at('2026-12-01T00:00:00Z'),
        until: at('2026-12-03T10:00:00Z'),
      }),
    ).toEqual(at('2026-12-03T03:00:00Z'));
    expect(
      latestRun('0 3 * * *', {
        after: at('2026-12-03T03:00:00Z'),
        until: at('2026-12-03T10:00:00Z'),
      }),
    ).toBeUndefined();
    expect(
      latestRun('*/5 * * * *', {
        after: at('2026-12-03T09:51:00Z'),
        until: at('2026-12-03T10:00:00Z'),
      }),
    ).toEqual(at('2026-12-03T10:00:00Z'));
  });

  it('counts @every from the start of the window', () => {
    expect(
      latestRun('@every 1h', {
        after: at('2026-12-03T08:30:00Z'),
        until: at('2026-12-03T11:00:00Z'),
      }),
    ).toEqual(at('2026-12-03T10:30:00Z'));
    expect(
      latestRun('@every 1h', {
        after: at('2026-12-03T10:30:00Z'),
        until: at('2026-12-03T11:00:00Z'),
      }),
    ).toBeUndefined();
  });

  it('answers nothing for a schedule that does not parse or an empty window', () => {
    expect(
      latestRun('not a cron', {
        after: at('2026-12-01T00:00:00Z'),
        until: at('2026-12-03T00:00:00Z'),
      }),
    ).toBeUndefined();
    expect(
      latestRun('* * * * *', {
        after: at('2026-12-03T00:00:00Z'),
        until: at('2026-12-02T00:00:00Z'),
      }),
    ).toBeUndefined();
  });
});
