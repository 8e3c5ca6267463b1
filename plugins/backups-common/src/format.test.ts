import { formatDuration } from './format';

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [45_000, '45 s'],
    [5 * 60_000, '5 min'],
    [130 * 60_000, '2 h 10 min'],
    [2 * 3600_000 + 30_000, '2 h'],
    [(3 * 24 + 4) * 3600_000 + 5 * 60_000, '3 d 4 h'],
    [-90 * 60_000, '-1 h 30 min'],
  ])('%d ms is %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
