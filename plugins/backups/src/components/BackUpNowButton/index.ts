export { BackUpNowButton } from './BackUpNowButton';
export type { BackUpNowButtonProps } from './BackUpNowButton';
