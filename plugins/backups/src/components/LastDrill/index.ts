export { LastDrill } from './LastDrill';
export type { LastDrillProps } from './LastDrill';
