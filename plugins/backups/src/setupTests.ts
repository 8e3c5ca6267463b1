import '@testing-library/jest-dom';
import { LayoutlessResizeObserver } from './__testUtils__/layoutlessResizeObserver';

// jsdom has no ResizeObserver (recharts' ResponsiveContainer needs one).
if (typeof window !== 'undefined' && window.ResizeObserver === undefined) {
  window.ResizeObserver = LayoutlessResizeObserver;
}
