import {
  CartesianGrid,
  Funnel,
  FunnelChart,
  LabelList,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { CurvePoint, FunnelPoint } from "./dashboard-charts";

// Loaded only in the browser (see dashboard-charts.tsx): recharts measures the DOM.

/** Brand reds from dark to light, one per stage; the labels sit outside the shapes, so any shade reads. */
const stageColours = ["#7d0f12", "#a4161a", "#bf3b3f", "#d05d60", "#de8183", "#e9a5a6", "#f2c7c8"];

interface Box {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
}

/** A stage's name and count in the right margin, level with its shape, whatever the shape's width. */
function StageCaption(props: { viewBox?: unknown; parentViewBox?: unknown; value?: unknown }) {
  const shape = (props.viewBox ?? {}) as Box;
  const plot = (props.parentViewBox ?? {}) as Box;
  return (
    <text
      x={(plot.x ?? 0) + (plot.width ?? 0) + 8}
      y={(shape.y ?? 0) + (shape.height ?? 0) / 2}
      dominantBaseline="middle"
      textAnchor="start"
      fill="#1f2328"
      fontSize={13}
    >
      {String(props.value ?? "")}
    </text>
  );
}

export function FunnelChartClient({ data }: { data: FunnelPoint[] }) {
  const points = data.map((d, i) => ({
    name: d.label,
    value: d.count,
    caption: `${d.label} ${d.count}`,
    fill: stageColours[i % stageColours.length],
  }));
  return (
    <FunnelChart
      responsive
      accessibilityLayer={false}
      style={{ width: "100%", height: 340 }}
      margin={{ top: 8, right: 150, bottom: 8, left: 8 }}
    >
      <Tooltip />
      <Funnel
        dataKey="value"
        nameKey="name"
        data={points}
        isAnimationActive={false}
        lastShapeType="rectangle"
      >
        <LabelList dataKey="caption" content={StageCaption} />
      </Funnel>
    </FunnelChart>
  );
}

export function ConfirmationCurveClient({
  data,
  labels,
}: {
  data: CurvePoint[];
  labels: { count: string; cumulative: string };
}) {
  // Dots help read a short curve; on a long one they would merge into a thick line.
  const dots = data.length <= 45;
  return (
    <LineChart
      responsive
      accessibilityLayer={false}
      data={data}
      style={{ width: "100%", height: 300 }}
      margin={{ top: 8, right: 8, bottom: 8, left: 0 }}
    >
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey="day" tickFormatter={(day: string) => day.slice(5)} minTickGap={16} />
      <YAxis yAxisId="daily" allowDecimals={false} width={40} />
      <YAxis yAxisId="total" orientation="right" allowDecimals={false} width={48} />
      <Tooltip />
      <Legend />
      <Line
        yAxisId="daily"
        type="linear"
        dataKey="count"
        name={labels.count}
        stroke="#a4161a"
        strokeWidth={2}
        dot={dots}
        isAnimationActive={false}
      />
      <Line
        yAxisId="total"
        type="linear"
        dataKey="cumulative"
        name={labels.cumulative}
        stroke="#0b4f8a"
        strokeWidth={2}
        strokeDasharray="6 3"
        dot={dots}
        isAnimationActive={false}
      />
    </LineChart>
  );
}
