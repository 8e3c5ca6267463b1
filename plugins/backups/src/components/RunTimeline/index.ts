export { RunTimeline } from './RunTimeline';
export type { RunTimelineProps } from './RunTimeline';
