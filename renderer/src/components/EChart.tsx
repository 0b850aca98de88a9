import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { EChartsOption } from 'echarts';
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { init, use, type ECElementEvent, type ECharts } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import './EChart.css';

// Only what Whittle's charts draw, registered once for the whole app.
use([BarChart, LineChart, ScatterChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

/** The data item a click landed on: its series and name (a node name on the roofline). */
export interface ChartItem {
  readonly seriesId: string | undefined;
  readonly name: string;
  readonly data: unknown;
}

interface Props {
  readonly option: EChartsOption;
  /** Names the chart for assistive technology; the canvas itself says nothing. */
  readonly label: string;
  readonly onClick?: (item: ChartItem) => void;
}

const DARK = '(prefers-color-scheme: dark)';

function subscribeScheme(onChange: () => void): () => void {
  const query = window.matchMedia(DARK);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

const isDark = () => window.matchMedia(DARK).matches;

/** Settings every chart shares: the page shows through, text in the app's font. */
const BASE: EChartsOption = {
  backgroundColor: 'transparent',
  textStyle: { fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" },
  animationDuration: 250,
};

/** The one ECharts adapter: every chart renders through it and only through it. */
export function EChart({ option, label, onClick }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const clickRef = useRef(onClick);
  const dark = useSyncExternalStore(subscribeScheme, isDark);

  useEffect(() => {
    clickRef.current = onClick;
  }, [onClick]);

  useEffect(() => {
    const el = host.current;
    if (el === null) return;
    const instance = init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (params) => {
      const event = params as ECElementEvent;
      clickRef.current?.({ seriesId: event.seriesId, name: event.name, data: event.data });
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setTheme(dark ? 'dark' : 'default');
  }, [dark]);

  useEffect(() => {
    chart.current?.setOption({ ...BASE, ...option }, { notMerge: true });
  }, [option]);

  return <div ref={host} className="echart" role="img" aria-label={label} />;
}
