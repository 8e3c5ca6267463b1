export { LayerCard } from './LayerCard';
export type { LayerCardProps } from './LayerCard';
export { LAYER_TITLES, ScheduleText, describeRetention } from './format';
