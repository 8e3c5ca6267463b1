export { IntentErrorsPanel } from './IntentErrorsPanel';
export type { IntentErrorsPanelProps } from './IntentErrorsPanel';
