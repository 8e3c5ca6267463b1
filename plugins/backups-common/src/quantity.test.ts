import { parseQuantity } from './quantity';

describe('parseQuantity', () => {
  it.each([
    ['1Gi', 2 ** 30],
    ['1024Mi', 2 ** 30],
    ['100m', 0.1],
    ['0.1', 0.1],
    ['1', 1],
    ['1k', 1000],
    ['500M', 500e6],
    ['1e3', 1000],
    ['1.5Gi', 1.5 * 2 ** 30],
  ])('%s is %d', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 9);
  });

  it.each(['abc', '1 Gi', '1Gb', ''])('%j is not a quantity', text => {
    expect(parseQuantity(text)).toBeUndefined();
  });
});
