export { ComplianceSummary } from './ComplianceSummary';
export type { ComplianceSummaryProps } from './ComplianceSummary';
