export { ComplianceChip, COMPLIANCE_LABELS } from './ComplianceChip';
export type { ComplianceChipProps } from './ComplianceChip';
