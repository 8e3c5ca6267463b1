export { ProtectionSummaryCard } from './ProtectionSummaryCard';
export type { ProtectionSummaryCardProps } from './ProtectionSummaryCard';
