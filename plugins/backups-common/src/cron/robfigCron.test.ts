/**
 * robfig/cron v3's own test cases (parser_test.go and spec_test.go at
 * bc59245), ported for the standard 5-field parser in UTC: every case of the
 * standard parser, and of the seconds parser where the seconds field is 0 and
 * no time zone is involved. If the planner's cron check drifts from robfig's,
 * these fail.
 */
import {
  cronEverFires,
  cronParseError,
  nextSpecTimeUtc,
  parseCronSchedule,
  parseFieldWithin,
} from './robfigCron';
import { parseCron } from '../intent/values';

function bits(values: number[], star = false) {
  return { values: new Set(values), star };
}

describe('robfig getRange and getField (TestRange, TestField)', () => {
  it.each([
    ['5', 0, 7, bits([5])],
    ['0', 0, 7, bits([0])],
    ['7', 0, 7, bits([7])],
    ['5-5', 0, 7, bits([5])],
    ['5-6', 0, 7, bits([5, 6])],
    ['5-7', 0, 7, bits([5, 6, 7])],
    ['5-6/2', 0, 7, bits([5])],
    ['5-7/2', 0, 7, bits([5, 7])],
    ['5-7/1', 0, 7, bits([5, 6, 7])],
    ['*', 1, 3, bits([1, 2, 3], true)],
    ['*/2', 1, 3, bits([1, 3])],
    ['5', 1, 7, bits([5])],
    ['5,6', 1, 7, bits([5, 6])],
    ['5,6,7', 1, 7, bits([5, 6, 7])],
    ['1,5-7/2,3', 1, 7, bits([1, 5, 7, 3])],
  ])('%s within %d-%d', (expr, min, max, expected) => {
    expect(parseFieldWithin(expr, min, max)).toEqual(expected);
  });

  it.each([
    ['5--5', 0, 0, 'too many hyphens'],
    ['jan-x', 0, 0, 'failed to parse int from'],
    ['2-x', 1, 5, 'failed to parse int from'],
    ['*/-12', 0, 0, 'negative number'],
    ['*//2', 0, 0, 'too many slashes'],
    ['1', 3, 5, 'below minimum'],
    ['6', 3, 5, 'above maximum'],
    ['5-3', 3, 5, 'beyond end of range'],
    ['*/0', 0, 0, 'should be a positive number'],
  ])('refuses %s within %d-%d: %s', (expr, min, max, message) => {
    expect(() => parseFieldWithin(expr, min, max)).toThrow(message);
  });
});

describe('robfig ParseStandard (TestParseScheduleErrors, TestStandardSpecSchedule, TestErrors, TestSlash0NoHang)', () => {
  it.each([
    ['5 j * * *', 'failed to parse int from'],
    ['@every Xm', 'failed to parse duration'],
    ['@unrecognized', 'unrecognized descriptor'],
    ['* * * *', 'expected exactly 5 fields'],
    ['', 'empty spec string'],
    ['xyz', 'expected exactly 5 fields'],
    ['60 0 * * *', 'above maximum'],
    ['0 60 * * *', 'above maximum'],
    ['0 0 * * XYZ', 'failed to parse int from'],
    ['TZ=America/New_York 15/0 * * * *', 'should be a positive number'],
  ])('refuses %j (%s)', (spec, message) => {
    expect(cronParseError(spec)).toContain(message);
  });

  it('parses "5 * * * *" and "@every 5m"', () => {
    expect(parseCronSchedule('5 * * * *')).toMatchObject({
      kind: 'spec',
      second: bits([0]),
      minute: bits([5]),
      hour: { star: true },
      dayOfMonth: { star: true },
      month: { star: true },
      dayOfWeek: { star: true },
    });
    expect(parseCronSchedule('@every 5m')).toEqual({
      kind: 'every',
      seconds: 300,
    });
  });

  it('reads the descriptors: @midnight, @yearly and @annually (TestParseSchedule)', () => {
    const midnight = parseCronSchedule('@midnight');
    expect(midnight).toMatchObject({
      minute: bits([0]),
      hour: bits([0]),
      dayOfMonth: { star: true },
    });
    expect(parseCronSchedule('@annually')).toEqual(
      parseCronSchedule('@yearly'),
    );
    expect(parseCronSchedule('@yearly')).toMatchObject({
      minute: bits([0]),
      hour: bits([0]),
      dayOfMonth: bits([1]),
      month: bits([1]),
      dayOfWeek: { star: true },
    });
  });
});

/** Go's "Mon Jan 2 15:04 2006" layouts, read as UTC. */
function goTime(text: string): Date {
  const match =
    /^\w{3} (\w{3}) (\d{1,2}) (\d{2}):(\d{2})(?::(\d{2}))? (\d{4})$/.exec(text);
  if (!match) throw new Error(`unparsed time ${text}`);
  const [, month, day, hour, minute, second, year] = match;
  return new Date(
    `${month} ${day} ${year} ${hour}:${minute}:${second ?? '00'} UTC`,
  );
}

describe('robfig SpecSchedule.Next (TestActivation)', () => {
  it.each([
    ['Mon Jul 9 15:00 2012', '0/15 * * * *', true],
    ['Mon Jul 9 15:45 2012', '0/15 * * * *', true],
    ['Mon Jul 9 15:40 2012', '0/15 * * * *', false],
    ['Mon Jul 9 15:05 2012', '5/15 * * * *', true],
    ['Mon Jul 9 15:20 2012', '5/15 * * * *', true],
    ['Mon Jul 9 15:50 2012', '5/15 * * * *', true],
    ['Sun Jul 15 15:00 2012', '0/15 * * Jul *', true],
    ['Sun Jul 15 15:00 2012', '0/15 * * Jun *', false],
    ['Sun Jul 15 08:30 2012', '30 08 ? Jul Sun', true],
    ['Sun Jul 15 08:30 2012', '30 08 15 Jul ?', true],
    ['Mon Jul 16 08:30 2012', '30 08 ? Jul Sun', false],
    ['Mon Jul 16 08:30 2012', '30 08 15 Jul ?', false],
    ['Mon Jul 9 15:00 2012', '@hourly', true],
    ['Mon Jul 9 15:04 2012', '@hourly', false],
    ['Mon Jul 9 15:00 2012', '@daily', false],
    ['Mon Jul 9 00:00 2012', '@daily', true],
    ['Mon Jul 9 00:00 2012', '@weekly', false],
    ['Sun Jul 8 00:00 2012', '@weekly', true],
    ['Sun Jul 8 01:00 2012', '@weekly', false],
    ['Sun Jul 8 00:00 2012', '@monthly', false],
    ['Sun Jul 1 00:00 2012', '@monthly', true],
    ['Sun Jul 15 00:00 2012', '* * 1,15 * Sun', true],
    ['Fri Jun 15 00:00 2012', '* * 1,15 * Sun', true],
    ['Wed Aug 1 00:00 2012', '* * 1,15 * Sun', true],
    ['Sun Jul 15 00:00 2012', '* * */10 * Sun', true],
    ['Sun Jul 15 00:00 2012', '* * * * Mon', false],
    ['Mon Jul 9 00:00 2012', '* * 1,15 * *', false],
    ['Sun Jul 15 00:00 2012', '* * 1,15 * *', true],
    ['Sun Jul 15 00:00 2012', '* * */2 * Sun', true],
  ])('%s, %j fires: %s', (time, spec, fires) => {
    const schedule = parseCronSchedule(spec);
    if (schedule.kind !== 'spec') throw new Error('expected a spec');
    const at = goTime(time);
    const next = nextSpecTimeUtc(schedule, new Date(at.getTime() - 1000));
    expect(next?.getTime() === at.getTime()).toBe(fires);
  });
});

describe('robfig SpecSchedule.Next (TestNext, seconds 0, UTC)', () => {
  it.each([
    ['Mon Jul 9 14:45 2012', '0/15 * * * *', 'Mon Jul 9 15:00 2012'],
    ['Mon Jul 9 14:59 2012', '0/15 * * * *', 'Mon Jul 9 15:00 2012'],
    ['Mon Jul 9 14:59:59 2012', '0/15 * * * *', 'Mon Jul 9 15:00 2012'],
    ['Mon Jul 9 15:45 2012', '20-35/15 * * * *', 'Mon Jul 9 16:20 2012'],
    ['Mon Jul 9 23:46 2012', '*/15 * * * *', 'Tue Jul 10 00:00 2012'],
    ['Mon Jul 9 23:45 2012', '20-35/15 * * * *', 'Tue Jul 10 00:20 2012'],
    ['Mon Jul 9 23:35 2012', '0 0 9 Apr-Oct ?', 'Thu Aug 9 00:00 2012'],
    ['Mon Jul 9 23:35 2012', '0 0 */5 Apr,Aug,Oct Mon', 'Tue Aug 1 00:00 2012'],
    ['Mon Jul 9 23:35 2012', '0 0 */5 Oct Mon', 'Mon Oct 1 00:00 2012'],
    ['Mon Jul 9 23:35 2012', '0 0 * Feb Mon', 'Mon Feb 4 00:00 2013'],
    ['Mon Jul 9 23:35 2012', '0 0 * Feb Mon/2', 'Fri Feb 1 00:00 2013'],
    ['Mon Dec 31 23:59:45 2012', '* * * * *', 'Tue Jan 1 00:00:00 2013'],
    ['Mon Jul 9 23:35 2012', '0 0 29 Feb ?', 'Mon Feb 29 00:00 2016'],
  ])('after %s, %j fires at %s', (time, spec, expected) => {
    const schedule = parseCronSchedule(spec);
    if (schedule.kind !== 'spec') throw new Error('expected a spec');
    expect(nextSpecTimeUtc(schedule, goTime(time))).toEqual(goTime(expected));
  });

  it.each(['0 0 30 Feb ?', '0 0 31 Apr ?'])(
    '%j is unsatisfiable: no next time, and it never fires',
    spec => {
      const schedule = parseCronSchedule(spec);
      if (schedule.kind !== 'spec') throw new Error('expected a spec');
      expect(
        nextSpecTimeUtc(schedule, goTime('Mon Jul 9 23:35 2012')),
      ).toBeUndefined();
      expect(cronEverFires(schedule)).toBe(false);
    },
  );
});

describe('the planner’s cron check (parseCron) agrees with robfig', () => {
  const robfigCases = [
    '5 * * * *',
    '@every 5m',
    '@midnight',
    '@yearly',
    '@annually',
    '@monthly',
    '@weekly',
    '@daily',
    '@hourly',
    '0/15 * * Jul *',
    '30 08 ? Jul Sun',
    '* * 1,15 * Sun',
    '0 0 */5 Apr,Aug,Oct Mon',
    '0 0 * Feb Mon/2',
    '0 0 29 Feb ?',
    '5 j * * *',
    '@every Xm',
    '@unrecognized',
    '* * * *',
    '',
    'xyz',
    '60 0 * * *',
    '0 60 * * *',
    '0 0 * * XYZ',
    '15/0 * * * *',
    // Wrapping ranges: SUN is 0, so MON-SUN is 1-0; robfig (and so
    // kube-apiserver and Velero) refuses it.
    '0 3 * * MON-SUN',
    '0 3 * * FRI-MON',
    '0 0 * NOV-FEB *',
    '0 22-2 * * *',
  ];

  it.each(robfigCases)('%j: accepted exactly when robfig accepts it', spec => {
    const robfig = cronParseError(spec);
    expect(parseCron(spec).ok).toBe(robfig === undefined);
  });

  it.each([
    '0 0 30 2 *',
    '0 0 31 2 *',
    '0 0 31 Apr,Jun,Sep,Nov *',
    '0 0 , * *',
  ])('refuses %j, which robfig parses but which never fires', spec => {
    expect(cronParseError(spec)).toBeUndefined();
    expect(parseCron(spec)).toMatchObject({
      ok: false,
      problem: 'never fires (no day of the year matches it)',
    });
  });

  it('refuses a TZ= prefix, which CronJob validation refuses', () => {
    expect(cronParseError('TZ=UTC 0 3 * * *')).toBeUndefined();
    expect(parseCron('TZ=UTC 0 3 * * *')).toMatchObject({ ok: false });
    expect(parseCron('CRON_TZ=Europe/Paris 0 3 * * *')).toMatchObject({
      ok: false,
    });
  });

  it('accepts 29 February (leap years) and a day of the week restricting 31 February', () => {
    expect(parseCron('0 0 29 2 *').ok).toBe(true);
    // Both restricted: either matches, so Mondays in February fire.
    expect(parseCron('0 0 31 2 1').ok).toBe(true);
  });
});
