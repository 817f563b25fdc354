import * as fs from 'fs';
import * as path from 'path';

import { dateTime, rangeUtil } from '@grafana/data';

/*
 * How the bundled dashboards read in a browser: nothing cut, no repeated axis label, legends that
 * show every series, bars a person can count. Grafana lays panels out in pixels we cannot run
 * here, so these checks use a small model of its layout, sized for the narrowest common screen:
 * a 1280 px window with the menu closed leaves a grid of about 1152 px, 48 px a column; a grid
 * row is 30 px with 8 px between rows; a panel header takes 32 px. Text is Inter at 14 px, about
 * 7.5 px a character on average (8 px where a cut would hide a title).
 */

const COLUMN_PX = 48;
const ROW_PX = 30;
const ROW_GAP_PX = 8;
const HEADER_PX = 32;
const CHAR_PX = 7.5;

/** Content height of a panel h grid rows tall, below its header. */
const contentPx = (h: number) => h * ROW_PX + (h - 1) * ROW_GAP_PX - HEADER_PX;

interface FieldOverride {
  matcher: { id: string; options: string };
  properties: Array<{ id: string; value: unknown }>;
}

interface Target {
  [key: string]: unknown;
  queryType?: string;
  interval?: string;
  groupBy?: string;
  eventTypes?: string[];
}

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  interval?: string;
  maxDataPoints?: number;
  targets?: Target[];
  options?: Record<string, any>;
  transformations?: Array<{ id: string; options: Record<string, any> }>;
  fieldConfig?: { defaults?: Record<string, any>; overrides?: FieldOverride[] };
}

const dashboards = fs
  .readdirSync(__dirname)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, panels: JSON.parse(fs.readFileSync(path.join(__dirname, file), 'utf8')).panels as Panel[] }));
const panelsOf = (type: string) =>
  dashboards.flatMap(({ file, panels }) => panels.filter((p) => p.type === type).map((p) => ({ file, panel: p })));

describe('grid', () => {
  it.each(dashboards)('$file: no two panels overlap', ({ panels }) => {
    for (const [i, a] of panels.entries()) {
      for (const b of panels.slice(i + 1)) {
        const g = a.gridPos;
        const h = b.gridPos;
        const overlap = g.x < h.x + h.w && h.x < g.x + g.w && g.y < h.y + h.h && h.y < g.y + g.h;
        expect({ panels: [a.title, b.title], overlap }).toEqual({ panels: [a.title, b.title], overlap: false });
      }
    }
  });
});

describe('axes and values', () => {
  // With decimals forced to 0, "short" rounds 1,500 and 1,000 alike to "1 K", so an axis reads
  // "2 K, 1 K, 1 K". Charts leave decimals to Grafana, which picks enough per tick; single values
  // that want whole numbers use "locale" (1,499), which never scales.
  it.each(dashboards)('$file forces no decimals on a scaled unit, and none on an axis', ({ panels }) => {
    for (const p of panels) {
      const defaults = p.fieldConfig?.defaults ?? {};
      if (['timeseries', 'barchart'].includes(p.type)) {
        expect({ panel: p.title, decimals: defaults.decimals }).toEqual({ panel: p.title, decimals: undefined });
      }
      // An override's unit wins over the panel's; without one, the panel's applies.
      const settings = [
        { unit: defaults.unit, decimals: defaults.decimals },
        ...(p.fieldConfig?.overrides ?? []).map((o) => ({
          unit: o.properties.find((q) => q.id === 'unit')?.value ?? defaults.unit,
          decimals: o.properties.find((q) => q.id === 'decimals')?.value,
        })),
      ];
      const scaledWithDecimals = settings.some((x) => x.decimals !== undefined && (x.unit ?? 'short') === 'short');
      expect({ panel: p.title, scaledWithDecimals }).toEqual({ panel: p.title, scaledWithDecimals: false });
    }
  });
});

describe('titles and labels fit', () => {
  // Header: 16 px padding each side, and the description and menu icons beside the title.
  const titlePx = (title: string) => title.length * 8 + 72;

  it.each(dashboards)('$file: every panel title fits its panel', ({ panels }) => {
    for (const p of panels) {
      expect({ panel: p.title, fits: titlePx(p.title) <= p.gridPos.w * COLUMN_PX }).toEqual({
        panel: p.title,
        fits: true,
      });
    }
  });

  // A name left of the bar gets at most 40% of the width (Grafana's BarGauge), so long names such
  // as "Username-Password-Authentication" were cut; above the bar it has the whole width. Each of
  // the `limit` rows then needs a 17 px name, a bar and the 8 px gap: 40 px.
  it.each(panelsOf('bargauge'))('$file: $panel.title shows whole names', ({ panel }) => {
    expect(panel.options).toMatchObject({ orientation: 'horizontal', namePlacement: 'top' });
    const rows = Math.max(...(panel.targets ?? []).map((t) => Number(t.limit ?? 10)));
    expect(rows * 40).toBeLessThanOrEqual(contentPx(panel.gridPos.h));
  });

  // Widths a column's text needs (the longest usual value at 7.5 px a character, plus padding):
  // a table scrolls sideways rather than shrinking a column below it and cutting the text.
  const columnPx: Record<string, number> = {
    time: 170,
    first_seen: 170,
    last_seen: 170,
    user_id: 250, // auth0|5f7c8ec7c33c6c004bbafe82
    user_name: 200,
    client_name: 180,
    connection: 260, // Username-Password-Authentication
    ip: 140,
    city: 130,
    user_agent: 300,
    description: 300,
    type_name: 240,
    details: 300,
    log_id: 440,
    count: 120, // a gauge with its number
  };

  it.each(panelsOf('table'))('$file: $panel.title gives each column the width its text needs', ({ panel }) => {
    const defaults = panel.fieldConfig?.defaults?.custom ?? {};
    expect(defaults.minWidth).toBeGreaterThanOrEqual(100);
    const organize = panel.transformations?.find((t) => t.id === 'organize')?.options;
    expect(organize).toBeDefined();
    const visible = Object.keys(organize!.indexByName).filter((name) => !organize!.excludeByName?.[name]);
    for (const name of visible) {
      const own = panel.fieldConfig?.overrides
        ?.filter((o) => o.matcher.id === 'byName' && o.matcher.options === name)
        .flatMap((o) => o.properties)
        .find((q) => q.id === 'custom.minWidth' || q.id === 'custom.width')?.value as number | undefined;
      const width = own ?? defaults.minWidth;
      expect({ column: name, enough: width >= (columnPx[name] ?? 100) }).toEqual({ column: name, enough: true });
    }
  });
});

/** Lines a markdown text takes at a width, by words, as a browser wraps them. */
function wrappedLines(text: string, widthPx: number): number {
  const perLine = Math.floor(widthPx / CHAR_PX);
  let lines = 1;
  let used = 0;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const len = word.replace(/[*`]/g, '').length;
    if (used > 0 && used + 1 + len > perLine) {
      lines++;
      used = len;
    } else {
      used += (used > 0 ? 1 : 0) + len;
    }
  }
  return lines;
}

describe('text panels', () => {
  it.each(panelsOf('text'))('$file: $panel.title shows its last line, whatever the boxes hold', ({ panel }) => {
    const content: string = panel.options?.content ?? '';
    // Grafana fills $variables into a text panel, so a chosen user ID lengthened a line and pushed
    // the last one out of sight: the help names the boxes instead of quoting them.
    expect(content).not.toMatch(/\$\{?\w/);
    const width = panel.gridPos.w * COLUMN_PX - 32;
    const paragraphs = content.split('\n');
    const lines = paragraphs.reduce((n, para) => n + (para.trim() === '' ? 0 : wrappedLines(para, width)), 0);
    const gaps = paragraphs.filter((para) => para.trim() === '').length + 1; // plus the list's margin
    expect(lines * 21 + gaps * 16).toBeLessThanOrEqual(contentPx(panel.gridPos.h));
  });
});

describe('legends', () => {
  // A bottom legend gets at most 35% of the panel (Grafana's VizLayout) and a table legend row is
  // about 28 px, header included, so a small panel hid its third series.
  const seriesCount = (p: Panel) =>
    (p.targets ?? []).reduce((n, t) => {
      if (t.groupBy === undefined) {
        return n + 1;
      }
      return n + (t.groupBy === 'type' && t.eventTypes ? t.eventTypes.length : Infinity);
    }, 0);

  it.each(panelsOf('timeseries'))('$file: $panel.title lists every series', ({ panel }) => {
    const legend = panel.options?.legend;
    expect(legend.showLegend).toBe(true);
    if (legend.placement === 'bottom') {
      const rows = seriesCount(panel) + (legend.displayMode === 'table' ? 1 : 0);
      expect(rows * 28).toBeLessThanOrEqual(0.35 * contentPx(panel.gridPos.h));
    } else {
      expect(legend.placement).toBe('right');
    }
  });
});

describe('buckets', () => {
  const HOUR = 3_600_000;
  const ranges = [1, 6, 24, 7 * 24, 30 * 24, 90 * 24].map((hours) => hours * HOUR);

  /** Bucket width of a count or distinct query over a range, as Grafana then the backend choose it. */
  function bucketMs(panel: Panel, target: Target, rangeMs: number): number {
    if (target.interval) {
      return rangeUtil.intervalToMs(target.interval);
    }
    // Without maxDataPoints Grafana asks for one point per pixel of the panel.
    const resolution = panel.maxDataPoints ?? panel.gridPos.w * COLUMN_PX;
    const to = dateTime(0);
    const range = { from: dateTime(-rangeMs), to, raw: { from: 'now-x', to: 'now' } };
    return rangeUtil.calculateInterval(range, resolution, panel.interval).intervalMs;
  }

  it.each(dashboards)('$file: a chart has at most 200 buckets over any range from 1 hour to 90 days', ({ panels }) => {
    for (const p of panels) {
      for (const t of (p.targets ?? []).filter((q) => q.queryType === 'count' || q.queryType === 'distinct')) {
        for (const rangeMs of ranges) {
          const buckets = Math.ceil(rangeMs / bucketMs(p, t, rangeMs));
          expect({ panel: p.title, hours: rangeMs / HOUR, readable: buckets <= 200 }).toEqual({
            panel: p.title,
            hours: rangeMs / HOUR,
            readable: true,
          });
        }
      }
    }
  });

  it('counts a day of a full-width chart in minutes without the panel settings, as the issue saw', () => {
    const panel: Panel = { id: 1, type: 'timeseries', title: 't', gridPos: { x: 0, y: 0, w: 24, h: 8 } };
    expect((24 * HOUR) / bucketMs(panel, { queryType: 'count' }, 24 * HOUR)).toBeGreaterThan(1000);
  });
});
