import { Cron } from 'croner';
import { seedObjects } from './__testUtils__/seedExamples';
import {
  cronJobScheduleErrors,
  nextCronTime,
  parseCronSchedule,
  validateCronJobSchedule,
} from './cronSchedule';
import { formatInvalidMessage } from './fieldErrors';

describe('validateCronJobSchedule', () => {
  it('accepts the schedule of every CronJob in the seeds', () => {
    const schedules = seedObjects()
      .filter(object => object.kind === 'CronJob')
      .map(object => (object.spec as { schedule: string }).schedule);
    expect(schedules).toHaveLength(14);
    expect(
      schedules.filter(
        schedule => validateCronJobSchedule(schedule) !== undefined,
      ),
    ).toEqual([]);
  });

  it.each([
    '0 2 * * *',
    '*/15 * * * *',
    '0 0 1,15 * *',
    '0 9-17 * * mon-fri',
    '30 4 * JAN,jul SUN',
    '? * * * ?',
    '5/15 * * * *',
    '0 0 31 2 *',
    '  0   3 * * 0  ',
    '0 0 1,,15 * *',
    '@yearly',
    '@annually',
    '@monthly',
    '@weekly',
    '@daily',
    '@midnight',
    '@hourly',
    '@every 1h30m',
    '@every 90s',
  ])('accepts %j (robfig/cron ParseStandard, as kube-apiserver)', schedule => {
    expect(validateCronJobSchedule(schedule)).toBeUndefined();
  });

  it.each([
    ['', 'empty spec string'],
    ['0 0 * * * *', 'expected exactly 5 fields, found 6: [0 0 * * * *]'],
    ['0 2 * *', 'expected exactly 5 fields, found 4: [0 2 * *]'],
    ['61 * * * *', 'end of range (61) above maximum (59): 61'],
    ['0 24 * * *', 'end of range (24) above maximum (23): 24'],
    ['0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['0 0 * 13 *', 'end of range (13) above maximum (12): 13'],
    ['0 0 * * 7', 'end of range (7) above maximum (6): 7'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/5/2 * * * *', 'too many slashes: */5/2'],
    [
      'x * * * *',
      'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax',
    ],
    [
      '0 0 * * funday',
      'failed to parse int from funday: strconv.Atoi: parsing "funday": invalid syntax',
    ],
    [
      '1.5 * * * *',
      'failed to parse int from 1.5: strconv.Atoi: parsing "1.5": invalid syntax',
    ],
    [
      '99999999999999999999 * * * *',
      'failed to parse int from 99999999999999999999: strconv.Atoi: parsing "99999999999999999999": value out of range',
    ],
    ['@reboot', 'unrecognized descriptor: @reboot'],
    ['@every', 'unrecognized descriptor: @every'],
    ['@Daily', 'unrecognized descriptor: @Daily'],
    [
      '@every 1x',
      'failed to parse duration @every 1x: time: unknown unit "x" in duration "1x"',
    ],
    [
      '@every ten',
      'failed to parse duration @every ten: time: invalid duration "ten"',
    ],
    [
      '@every 10',
      'failed to parse duration @every 10: time: missing unit in duration "10"',
    ],
  ])('refuses %j: %s', (schedule, detail) => {
    expect(validateCronJobSchedule(schedule)).toBe(
      `Invalid value: ${JSON.stringify(schedule)}: ${detail}`,
    );
  });

  it('refuses TZ= and CRON_TZ= prefixes with the real message, after any parse error', () => {
    const tzMessage =
      'cannot use TZ or CRON_TZ in schedule, use timeZone field instead';
    expect(cronJobScheduleErrors('TZ=UTC 0 2 * * *')).toEqual([
      {
        field: 'spec.schedule',
        reason: 'FieldValueInvalid',
        message: `Invalid value: "TZ=UTC 0 2 * * *": ${tzMessage}`,
      },
    ]);
    expect(validateCronJobSchedule('CRON_TZ=Asia/Shanghai 0 2 * * *')).toBe(
      `Invalid value: "CRON_TZ=Asia/Shanghai 0 2 * * *": ${tzMessage}`,
    );
    expect(cronJobScheduleErrors('TZ=Mars/Olympus 0 2 * * *')).toEqual([
      {
        field: 'spec.schedule',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "TZ=Mars/Olympus 0 2 * * *": provided bad location Mars/Olympus: unknown time zone Mars/Olympus',
      },
      {
        field: 'spec.schedule',
        reason: 'FieldValueInvalid',
        message: `Invalid value: "TZ=Mars/Olympus 0 2 * * *": ${tzMessage}`,
      },
    ]);
  });

  it('lets an update keep a TZ= it already had, unless spec.timeZone is set too', () => {
    const old = 'TZ=UTC 0 1 * * *';
    expect(
      cronJobScheduleErrors('TZ=UTC 0 2 * * *', { oldSchedule: old }),
    ).toEqual([]);
    expect(
      cronJobScheduleErrors('TZ=UTC 0 2 * * *', {
        oldSchedule: old,
        timeZone: 'UTC',
      }),
    ).toEqual([
      {
        field: 'spec.schedule',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "TZ=UTC 0 2 * * *": cannot use both timeZone field and TZ or CRON_TZ in schedule',
      },
    ]);
  });

  it('makes the Status message the real server sends', () => {
    const errors = cronJobScheduleErrors('61 * * * *');
    expect(
      formatInvalidMessage({
        kind: 'CronJob',
        group: 'batch',
        name: 'mauvaise',
        errors,
      }),
    ).toBe(
      'CronJob.batch "mauvaise" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61',
    );
  });
});

describe('parseCronSchedule', () => {
  it('keeps robfig’s star flag: `*` and `?` are stars, a step above 1 is not', () => {
    const parsed = parseCronSchedule('*/1 */2 ? 1-3 mon');
    if (parsed.kind !== 'spec') throw new Error('expected a spec schedule');
    expect(parsed.minute.star).toBe(true);
    expect(parsed.hour).toEqual({
      star: false,
      values: new Set([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22]),
    });
    expect(parsed.dayOfMonth.star).toBe(true);
    expect(parsed.month).toEqual({ star: false, values: new Set([1, 2, 3]) });
    expect(parsed.dayOfWeek).toEqual({ star: false, values: new Set([1]) });
  });

  it('reads @every as whole seconds, at least one', () => {
    expect(parseCronSchedule('@every 1h30m')).toEqual({
      kind: 'every',
      seconds: 5400,
    });
    expect(parseCronSchedule('@every 1500ms')).toEqual({
      kind: 'every',
      seconds: 1,
    });
    expect(parseCronSchedule('@every 10ms')).toEqual({
      kind: 'every',
      seconds: 1,
    });
  });
});

describe('nextCronTime', () => {
  const at = (iso: string) => new Date(iso);

  it('finds the next matching minute strictly after the given time, in UTC', () => {
    expect(nextCronTime('0 2 * * *', at('2026-01-18T01:59:59.999Z'))).toEqual(
      at('2026-01-18T02:00:00Z'),
    );
    expect(nextCronTime('0 2 * * *', at('2026-01-18T02:00:00Z'))).toEqual(
      at('2026-01-19T02:00:00Z'),
    );
    expect(nextCronTime('*/15 * * * *', at('2026-01-18T10:07:00Z'))).toEqual(
      at('2026-01-18T10:15:00Z'),
    );
    expect(nextCronTime('0 3 * * 0', at('2026-01-18T03:00:00Z'))).toEqual(
      at('2026-01-25T03:00:00Z'),
    );
    expect(nextCronTime('@monthly', at('2026-01-31T12:00:00Z'))).toEqual(
      at('2026-02-01T00:00:00Z'),
    );
    expect(nextCronTime('@yearly', at('2026-06-01T00:00:00Z'))).toEqual(
      at('2027-01-01T00:00:00Z'),
    );
    expect(nextCronTime('0 0 29 2 *', at('2026-01-01T00:00:00Z'))).toEqual(
      at('2028-02-29T00:00:00Z'),
    );
  });

  it('ORs day of month and day of week when both are restricted, ANDs them when one is a star', () => {
    // 2026-01-01 is a Thursday.
    expect(nextCronTime('0 0 13 * 5', at('2026-01-01T00:00:00Z'))).toEqual(
      at('2026-01-02T00:00:00Z'),
    );
    expect(nextCronTime('0 0 13 * *', at('2026-01-01T00:00:00Z'))).toEqual(
      at('2026-01-13T00:00:00Z'),
    );
    expect(nextCronTime('0 0 * * 5', at('2026-01-03T00:00:00Z'))).toEqual(
      at('2026-01-09T00:00:00Z'),
    );
    expect(nextCronTime('0 0 ? * 5', at('2026-01-03T00:00:00Z'))).toEqual(
      at('2026-01-09T00:00:00Z'),
    );
  });

  it('runs @every at its interval and gives up on schedules that never fire', () => {
    expect(nextCronTime('@every 90m', at('2026-01-18T02:00:00.500Z'))).toEqual(
      at('2026-01-18T03:30:00Z'),
    );
    expect(
      nextCronTime('0 0 30 2 *', at('2026-01-01T00:00:00Z')),
    ).toBeUndefined();
    expect(nextCronTime('0 0 1,,15 * *', at('2026-01-01T00:00:00Z'))).toEqual(
      at('2026-01-15T00:00:00Z'),
    );
  });

  it('agrees with croner in UTC on ordinary schedules', () => {
    const schedules = [
      '0 2 * * *',
      '*/7 * * * *',
      '15 9-17 * * 1-5',
      '0 0 1,15 * *',
      '0 */6 * * *',
      '0 3 * * 0',
      '0 0 13 * 5',
      '30 4 * 2,8 *',
    ];
    const starts = [
      '2026-01-18T02:00:00Z',
      '2026-02-27T23:59:30Z',
      '2028-02-28T12:34:56Z',
      '2026-12-31T23:59:59Z',
    ];
    for (const schedule of schedules) {
      const fields = schedule.split(' ');
      const legacyMode = fields[2] !== '*' && fields[4] !== '*';
      const cron = new Cron(`0 ${schedule}`, {
        timezone: 'UTC',
        legacyMode,
        paused: true,
      });
      for (const start of starts) {
        expect([schedule, start, nextCronTime(schedule, at(start))]).toEqual([
          schedule,
          start,
          cron.nextRun(at(start)),
        ]);
      }
    }
  });

  it('follows a time zone (spec.timeZone) through daylight saving time', () => {
    expect(
      nextCronTime('0 2 * * *', at('2026-01-18T00:00:00Z'), 'Europe/Paris'),
    ).toEqual(at('2026-01-18T01:00:00Z'));
    expect(
      nextCronTime('0 2 * * *', at('2026-07-01T00:30:00Z'), 'Europe/Paris'),
    ).toEqual(at('2026-07-02T00:00:00Z'));
    expect(
      nextCronTime('0 2 * * *', at('2026-01-18T00:00:00Z'), 'UTC'),
    ).toEqual(at('2026-01-18T02:00:00Z'));
  });

  it('throws for a schedule that does not parse', () => {
    expect(() => nextCronTime('61 * * * *', new Date())).toThrow(
      'end of range (61) above maximum (59): 61',
    );
  });
});
