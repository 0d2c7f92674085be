import { barLayout, DEFAULT_BOX, labelEvery, linePaths } from './chart-geometry';

export interface ChartSeries {
  name: string;
  values: number[];
}

interface ChartProps {
  /** The chart's accessible name (also its visible caption). */
  title: string;
  labels: string[];
  series: ChartSeries[];
  /** Formats values (tooltips and the hidden data table). */
  format: (v: number) => string;
  /** Formats the axis ticks (compact); defaults to `format`. */
  tick?: (v: number) => string;
}

const COLOURS = ['#2b5fd9', '#e08a00', '#2e9e5b'];

/**
 * A small accessible bar chart: an SVG with role="img" named by its title, and the same figures
 * as a visually hidden table for screen readers.
 */
export function BarChart({ title, labels, series, format, tick = format }: ChartProps) {
  const slantedBox = labels.length > 6 && labels.some((l) => l.length > 5);
  const box = slantedBox ? { ...DEFAULT_BOX, height: DEFAULT_BOX.height + 50, bottom: DEFAULT_BOX.bottom + 50 } : DEFAULT_BOX;
  const labelY = box.height - box.bottom + 16;
  const { bars, ticks, groupWidth } = barLayout(
    series.map((s) => s.values),
    box,
  );
  const show = labelEvery(labels.length, 12);
  // Many long labels (categories) are set at an angle so they never overlap.
  const slanted = labels.length > 6 && labels.some((l) => l.length > 5);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${box.width} ${box.height}`} role="img" aria-label={title} className="chart-svg">
        {ticks.map((t) => (
          <g key={t.y}>
            <line x1={box.left} x2={box.width - box.right} y1={t.y} y2={t.y} className="chart-grid" />
            <text x={box.left - 6} y={t.y + 4} textAnchor="end" className="chart-tick">
              {tick(t.value)}
            </text>
          </g>
        ))}
        {bars.map((b) => (
          <rect key={`${b.series}-${b.index}`} x={b.x} y={b.y} width={b.width} height={b.height} fill={COLOURS[b.series % COLOURS.length]}>
            <title>{`${labels[b.index] ?? ''} ${series[b.series]?.name ?? ''}: ${format(b.value)}`}</title>
          </rect>
        ))}
        {labels.map((l, i) =>
          show(i) ? (
            <text
              key={`l${i}`}
              x={box.left + i * groupWidth + groupWidth / 2}
              y={labelY}
              textAnchor={slanted ? 'end' : 'middle'}
              transform={slanted ? `rotate(-35 ${box.left + i * groupWidth + groupWidth / 2} ${labelY})` : undefined}
              className="chart-tick"
            >
              {l.length > 14 ? `${l.slice(0, 13)}…` : l}
            </text>
          ) : null,
        )}
      </svg>
      <Legend series={series} />
      <DataTable title={title} labels={labels} series={series} format={format} />
    </figure>
  );
}

/** A small accessible line chart (trends over days). */
export function LineChart({ title, labels, series, format, tick = format }: ChartProps) {
  const box = DEFAULT_BOX;
  const { paths, ticks, points } = linePaths(
    series.map((s) => s.values),
    box,
  );
  const show = labelEvery(labels.length, 10);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${box.width} ${box.height}`} role="img" aria-label={title} className="chart-svg">
        {ticks.map((t) => (
          <g key={t.y}>
            <line x1={box.left} x2={box.width - box.right} y1={t.y} y2={t.y} className="chart-grid" />
            <text x={box.left - 6} y={t.y + 4} textAnchor="end" className="chart-tick">
              {tick(t.value)}
            </text>
          </g>
        ))}
        {paths.map((d, k) => (
          <path key={k} d={d} fill="none" stroke={COLOURS[k % COLOURS.length]} strokeWidth={2.5} />
        ))}
        {points.map((pts, k) =>
          pts.length <= 31
            ? pts.map((p, i) => (
                <circle key={`${k}-${i}`} cx={p.x} cy={p.y} r={3} fill={COLOURS[k % COLOURS.length]}>
                  <title>{`${labels[i] ?? ''} ${series[k]?.name ?? ''}: ${format(p.value)}`}</title>
                </circle>
              ))
            : null,
        )}
        {points[0]?.map((p, i) =>
          show(i) ? (
            <text key={`l${i}`} x={p.x} y={box.height - 8} textAnchor="middle" className="chart-tick">
              {labels[i]}
            </text>
          ) : null,
        )}
      </svg>
      <Legend series={series} />
      <DataTable title={title} labels={labels} series={series} format={format} />
    </figure>
  );
}

function Legend({ series }: { series: ChartSeries[] }) {
  if (series.length < 2) return null;
  return (
    <ul className="chart-legend" aria-hidden="true">
      {series.map((s, k) => (
        <li key={s.name}>
          <span className="chart-swatch" style={{ background: COLOURS[k % COLOURS.length] }} />
          {s.name}
        </li>
      ))}
    </ul>
  );
}

function DataTable({ title, labels, series, format }: ChartProps) {
  return (
    <table className="visually-hidden">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col" />
          {series.map((s) => (
            <th key={s.name} scope="col">
              {s.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {labels.map((l, i) => (
          <tr key={`${l}-${i}`}>
            <th scope="row">{l}</th>
            {series.map((s) => (
              <td key={s.name}>{format(s.values[i] ?? 0)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
