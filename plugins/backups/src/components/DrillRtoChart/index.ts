export { DrillRtoChart } from './DrillRtoChart';
export type { DrillRtoChartProps } from './DrillRtoChart';
