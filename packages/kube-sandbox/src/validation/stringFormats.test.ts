import {
  checkStringFormat,
  isBase64,
  isDate,
  isDateTime,
} from './stringFormats';

describe('string formats', () => {
  it.each([
    '2026-01-18T02:00:00Z',
    '2026-01-18t02:00:00z',
    '2026-01-18T02:00:00.123456Z',
    '2026-01-18T02:00:00-05:30',
    '2024-02-29T23:59:59Z',
  ])('date-time accepts %j', value => expect(isDateTime(value)).toBe(true));

  it.each([
    '2026-01-18',
    '2026-01-18T02:00:00',
    '2026-01-18 02:00:00Z',
    '2026-13-01T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-01-18T24:00:00Z',
    '2026-01-18T02:60:00Z',
    '18/01/2026',
  ])('date-time refuses %j', value => expect(isDateTime(value)).toBe(false));

  it('checks dates, base64 and k8s names; names formats without dashes too', () => {
    expect(isDate('2026-01-31')).toBe(true);
    expect(isDate('2026-04-31')).toBe(false);
    expect(isBase64('LS0tLS1CRUdJTg==')).toBe(true);
    expect(isBase64('')).toBe(false);
    expect(isBase64('abc')).toBe(false);
    expect(checkStringFormat('datetime', 'nope')).toBe(false);
    expect(checkStringFormat('k8s-short-name', 'my-name')).toBe(true);
    expect(checkStringFormat('k8s-short-name', 'my.name')).toBe(false);
    expect(checkStringFormat('k8s-long-name', 'my.name')).toBe(true);
    expect(checkStringFormat('email', 'not an email')).toBe(true); // not checked here
  });
});
