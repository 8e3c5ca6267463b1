/**
 * A ResizeObserver for jsdom, which has none and lays nothing out: every
 * observed element is as large as the window (1024 × 768), reported once
 * when observed, as a browser does. Charts sized by `ResponsiveContainer`
 * then render their axes, lines and points in tests.
 */
export class LayoutlessResizeObserver implements ResizeObserver {
  constructor(private readonly callback: ResizeObserverCallback) {}

  observe(target: Element): void {
    const { innerWidth: width, innerHeight: height } = window;
    const contentRect = new DOMRectReadOnly(0, 0, width, height);
    const size = [{ inlineSize: width, blockSize: height }];
    this.callback(
      [
        {
          target,
          contentRect,
          borderBoxSize: size,
          contentBoxSize: size,
          devicePixelContentBoxSize: size,
        },
      ],
      this,
    );
  }

  unobserve(): void {}

  disconnect(): void {}
}
