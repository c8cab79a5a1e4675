/**
 * A small inline SVG chart: points over time, with min/max labels. No chart library: the studio
 * needs two sparkline-sized charts and nothing else.
 */
export interface ChartPoint { at: number; value: number; mark?: string }

export function LineChart({ title, points, format, testId, width = 420, height = 140 }: {
  title: string;
  points: ChartPoint[];
  format: (v: number) => string;
  testId?: string;
  width?: number;
  height?: number;
}) {
  const pad = { l: 70, r: 12, t: 20, b: 22 };
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  if (points.length === 0)
    return (
      <figure className="chart" data-testid={testId}>
        <figcaption>{title}</figcaption>
        <div className="muted chart-empty">No finished backups yet.</div>
      </figure>
    );
  const minT = points[0].at;
  const maxT = points[points.length - 1].at;
  const maxV = Math.max(...points.map((p) => p.value), 1);
  const x = (t: number) => pad.l + (maxT === minT ? w / 2 : ((t - minT) / (maxT - minT)) * w);
  const y = (v: number) => pad.t + h - (v / maxV) * h;
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const day = (t: number) => new Date(t).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
        <line className="axis" x1={pad.l} y1={pad.t + h} x2={pad.l + w} y2={pad.t + h} />
        <line className="axis" x1={pad.l} y1={pad.t} x2={pad.l} y2={pad.t + h} />
        <text className="tick" x={pad.l - 6} y={pad.t + 4} textAnchor="end">{format(maxV)}</text>
        <text className="tick" x={pad.l - 6} y={pad.t + h} textAnchor="end">0</text>
        <text className="tick" x={pad.l} y={height - 4}>{day(minT)}</text>
        <text className="tick" x={pad.l + w} y={height - 4} textAnchor="end">{day(maxT)}</text>
        <path className="line" d={path} />
        {points.map((p, i) => (
          <circle key={i} className={`dot dot-${p.mark ?? 'none'}`} cx={x(p.at)} cy={y(p.value)} r={3.5}>
            <title>{`${new Date(p.at).toLocaleString()}: ${format(p.value)}${p.mark ? ` (${p.mark})` : ''}`}</title>
          </circle>
        ))}
      </svg>
    </figure>
  );
}
