export { DrillCard } from './DrillCard';
export type { DrillCardProps } from './DrillCard';
