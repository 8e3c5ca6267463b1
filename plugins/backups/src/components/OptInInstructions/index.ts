export { OptInInstructions, optInSnippet } from './OptInInstructions';
export type { OptInInstructionsProps } from './OptInInstructions';
