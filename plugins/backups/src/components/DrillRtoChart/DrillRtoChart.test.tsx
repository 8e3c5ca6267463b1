import { renderInTestApp } from '@backstage/test-utils';
import { DrillRecord } from '@backups-for-backstage/plugin-backups-common';
import { screen, within } from '@testing-library/react';
import { drillRecord } from '../../__testUtils__/drillFixtures';
import { DrillRtoChart } from './DrillRtoChart';

const MINUTE = 60_000;

/** A finished drill started at `requestedAt` that passed in 12 min, unless overridden. */
function drill(
  id: string,
  requestedAt: string,
  overrides: Partial<DrillRecord> = {},
): DrillRecord {
  return drillRecord({
    id,
    requestedAt,
    state: 'passed',
    achieved: { rtoMs: 12 * MINUTE, rpoMs: 20 * MINUTE, layers: [] },
    ...overrides,
  });
}

const PASSED = drill('d1', '2026-11-01T03:00:00.000Z');
const MISSED = drill('d2', '2026-11-08T03:00:00.000Z', {
  state: 'missed-target',
  achieved: { rtoMs: 45 * MINUTE, layers: [] },
});
const FAILED = drill('d3', '2026-11-15T03:00:00.000Z', {
  state: 'failed',
  failedStep: 'velero-restore',
  achieved: { layers: [] },
});
const RUNNING = drill('d4', '2026-11-22T03:00:00.000Z', {
  state: 'running',
  achieved: { layers: [] },
});

/** The vertical position of an SVG element, on the chart's own scale. */
const y = (element: Element, attribute = 'cy') =>
  Number(element.getAttribute(attribute));

describe('DrillRtoChart', () => {
  it('draws each finished drill at its RTO, the failed one on the time axis, against a line at the target', async () => {
    const { container } = await renderInTestApp(
      <DrillRtoChart drills={[RUNNING, FAILED, MISSED, PASSED]} />,
    );
    const chart = screen.getByRole('img', {
      name: 'Achieved RTO of 3 finished drill(s) from 1 Nov 2026, 03:00 UTC to 15 Nov 2026, 03:00 UTC, against the RTO target of 30 min: 1 passed, 1 missed the target, 1 failed without an RTO.',
    });

    const target = chart.querySelector('.recharts-reference-line line');
    expect(target).not.toBeNull();
    expect(y(target!, 'y1')).toBe(y(target!, 'y2'));
    expect(
      within(
        chart.querySelector<HTMLElement>('.recharts-reference-line')!,
      ).getByText('RTO target 30 min'),
    ).toBeInTheDocument();

    const points = screen.getAllByTestId('drill-rto-point');
    expect(points.map(point => point.getAttribute('data-state'))).toEqual([
      'passed',
      'missed-target',
      'failed',
    ]);
    const [passed, missed, failed] = points;
    expect(passed).toHaveTextContent(
      'Drill d1, 1 Nov 2026, 03:00 UTC: Passed, restored in 12 min',
    );
    expect(failed).toHaveTextContent(
      'Drill d3, 15 Nov 2026, 03:00 UTC: Failed, no RTO',
    );
    // SVG y grows downwards: 45 min above the target, 12 min below it, and
    // the failed drill on the time axis.
    expect(y(missed)).toBeLessThan(y(target!, 'y1'));
    expect(y(passed)).toBeGreaterThan(y(target!, 'y1'));
    const timeAxis = chart.querySelector(
      '.xAxis .recharts-cartesian-axis-line',
    );
    expect(y(failed)).toBe(y(timeAxis!, 'y1'));
    // In time order, left to right.
    const x = (point: Element) => Number(point.getAttribute('cx'));
    expect(x(passed)).toBeLessThan(x(missed));
    expect(x(missed)).toBeLessThan(x(failed));

    expect(
      screen.getByText('Failed: no RTO, on the time axis'),
    ).toBeInTheDocument();
    expect(container.querySelector('figcaption')).toHaveTextContent(
      'Failed drills measured no RTO: they sit on the time axis.',
    );
  });

  it('extends the scale to the target when every drill was faster', async () => {
    await renderInTestApp(<DrillRtoChart drills={[PASSED]} />);
    const chart = screen.getByRole('img', { name: /1 finished drill\(s\)/ });
    const target = chart.querySelector('.recharts-reference-line line');
    expect(target).not.toBeNull();
    expect(y(screen.getByTestId('drill-rto-point'))).toBeGreaterThan(
      y(target!, 'y1'),
    );
  });

  it('says that no drill measured an RTO yet when every finished one failed, and shows nothing before the first', async () => {
    const { container, unmount } = await renderInTestApp(
      <DrillRtoChart drills={[FAILED, RUNNING]} />,
    );
    expect(
      screen.getByText(
        'No drill has measured an RTO yet: the 1 finished drill(s) failed before everything was restored and verified.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
    expect(container.querySelector('.recharts-surface')).toBeNull();
    unmount();

    await renderInTestApp(<DrillRtoChart drills={[RUNNING]} />);
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
    expect(screen.queryByText(/No drill has measured/)).not.toBeInTheDocument();
  });
});
