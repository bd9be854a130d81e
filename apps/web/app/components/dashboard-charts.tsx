import { lazy, type ReactNode, Suspense, useEffect, useState } from "react";

export interface FunnelPoint {
  label: string;
  count: number;
}

export interface CurvePoint {
  day: string;
  count: number;
  cumulative: number;
}

// recharts is only ever loaded in the browser, as its own chunk, after the page has mounted: server
// rendering (and a browser without JavaScript) shows the placeholder, and the tables carry the numbers.
const FunnelChartClient = lazy(() =>
  import("./dashboard-charts.client").then((m) => ({ default: m.FunnelChartClient })),
);
const ConfirmationCurveClient = lazy(() =>
  import("./dashboard-charts.client").then((m) => ({ default: m.ConfirmationCurveClient })),
);

function useMounted(): boolean {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}

/**
 * The chart frame: hidden from assistive technology, which reads the table beside it instead (the chart
 * repeats the table's numbers and takes no input).
 */
function ChartFrame({
  testId,
  height,
  placeholder,
  children,
}: {
  testId: string;
  height: number;
  placeholder: string;
  children: ReactNode;
}) {
  const mounted = useMounted();
  const fallback = (
    <p className="meta" style={{ margin: 0 }}>
      {placeholder}
    </p>
  );
  return (
    <div data-testid={testId} aria-hidden="true" style={{ width: "100%", minHeight: height }}>
      {mounted ? <Suspense fallback={fallback}>{children}</Suspense> : fallback}
    </div>
  );
}

/** The funnel of the happy path, drawn with recharts' FunnelChart. */
export function FunnelChartView({ data, placeholder }: { data: FunnelPoint[]; placeholder: string }) {
  return (
    <ChartFrame testId="funnel-chart" height={340} placeholder={placeholder}>
      <FunnelChartClient data={data} />
    </ChartFrame>
  );
}

/** Confirmations per day and their running total, drawn with recharts' LineChart. */
export function ConfirmationCurveView({
  data,
  labels,
  placeholder,
}: {
  data: CurvePoint[];
  labels: { count: string; cumulative: string };
  placeholder: string;
}) {
  return (
    <ChartFrame testId="confirmation-chart" height={300} placeholder={placeholder}>
      <ConfirmationCurveClient data={data} labels={labels} />
    </ChartFrame>
  );
}
