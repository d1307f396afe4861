import { h, svg } from './dom.js';

/** One measurement in time. */
export interface TrendPoint {
  /** Epoch milliseconds. */
  time: number;
  value: number;
}

/** A named line of a chart (systolic, diastolic). */
export interface TrendSeries {
  label: string;
  points: TrendPoint[];
}

const WIDTH = 240;
const HEIGHT = 72;
const PAD_X = 6;
const PAD_Y = 10;

/**
 * A small inline SVG line chart of one or more series, with its latest values as the accessible
 * name. Styling comes from CSS classes and presentation attributes, since the extension's CSP
 * forbids inline `style`.
 */
export function trendChart(title: string, unit: string, series: TrendSeries[]): HTMLElement | null {
  const points = series.flatMap((line) => line.points);
  if (points.length === 0) return null;
  const times = points.map((point) => point.time);
  const values = points.map((point) => point.value);
  const [minTime, maxTime] = [Math.min(...times), Math.max(...times)];
  const [minValue, maxValue] = [Math.min(...values), Math.max(...values)];
  const x = (time: number) =>
    maxTime === minTime
      ? WIDTH / 2
      : PAD_X + ((time - minTime) / (maxTime - minTime)) * (WIDTH - 2 * PAD_X);
  const y = (value: number) =>
    maxValue === minValue
      ? HEIGHT / 2
      : HEIGHT - PAD_Y - ((value - minValue) / (maxValue - minValue)) * (HEIGHT - 2 * PAD_Y);

  const latest = series
    .map((line) => {
      const last = [...line.points].sort((a, b) => a.time - b.time).at(-1);
      return last ? `${line.label} ${last.value}` : undefined;
    })
    .filter(Boolean)
    .join(', ');
  const description = `${title}: latest ${latest} ${unit}; range ${minValue} to ${maxValue} over ${points.length} readings.`;

  const chart = svg(
    'svg',
    {
      class: 'trend-chart',
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: 'img',
      'aria-label': description,
      preserveAspectRatio: 'none',
    },
    svg('title', {}, description),
    ...series.flatMap((line, index) => {
      const sorted = [...line.points].sort((a, b) => a.time - b.time);
      const coordinates = sorted.map(
        (point) => `${x(point.time).toFixed(1)},${y(point.value).toFixed(1)}`,
      );
      return [
        svg('polyline', {
          class: `trend-line trend-line-${index}`,
          points: coordinates.join(' '),
          fill: 'none',
        }),
        ...sorted.map((point) =>
          svg('circle', {
            class: `trend-dot trend-line-${index}`,
            cx: x(point.time).toFixed(1),
            cy: y(point.value).toFixed(1),
            r: 2.5,
          }),
        ),
      ];
    }),
  );
  return h(
    'figure',
    { class: 'trend' },
    h(
      'figcaption',
      {},
      h('span', { class: 'trend-title' }, title),
      h('span', { class: 'trend-latest' }, `${latest} ${unit}`),
    ),
    chart,
  );
}
