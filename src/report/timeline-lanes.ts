/**
 * The timeline's lanes, each a function from its top edge to SVG elements: device mode, LEDs
 * (with their real blink pulses where they are wide enough to see), button presses, gestures, the
 * buffer's fill, recordings with their pre-roll, and incidents.
 */
import type { LedName } from '../events/index.js';
import { svgText, textWidth } from './svg-text.js';
import type { LedLook, RecordingBar, Span, TimelineModel } from './timeline-model.js';
import {
  BUTTON_COLORS, COLORS, GESTURE_STYLE, INCIDENT_COLORS, LED_COLORS, MODE_COLORS, PLOT_RIGHT, type TimeScale,
} from './timeline-style.js';

/** One horizontal lane: its name, height, and drawing. */
export interface Lane {
  readonly name: string;
  /** A second, dimmer line under the name. */
  readonly note?: string;
  readonly height: number;
  readonly draw: (top: number) => string[];
}

const rect = (x0: number, y: number, x1: number, height: number, fill: string, extra = ''): string =>
  `<rect x="${x0}" y="${y}" width="${Math.max(0.5, Math.round((x1 - x0) * 10) / 10)}" height="${height}" fill="${fill}"${extra}/>`;

/** Places labels left to right on `rows` rows without overlap; returns each label's row or -1 (no room). */
function placeLabels(items: readonly { x: number; width: number }[], rows: number): number[] {
  const rightEdge = new Array<number>(rows).fill(-Infinity);
  return items.map(({ x, width }) => {
    const left = Math.min(x - 2, PLOT_RIGHT - width);
    const row = rightEdge.findIndex((edge) => left > edge + 6);
    if (row >= 0) rightEdge[row] = left + width;
    return row;
  });
}

/** The device mode lane: coloured spans named where they fit. */
export function modeLane(model: TimelineModel, scale: TimeScale): Lane {
  return {
    name: 'state',
    height: 30,
    draw: (top) => model.modes.flatMap((span) => {
      const x0 = scale.x(span.fromUs);
      const x1 = scale.x(span.toUs);
      const label = span.value;
      const fits = x1 - x0 >= textWidth(label, 2) + 8;
      return [rect(x0, top + 4, x1, 22, MODE_COLORS[span.value] ?? '#555'), fits ? svgText(label, x0 + 4, top + 8) : ''];
    }),
  };
}

function ledPulses(span: Span<LedLook>, scale: TimeScale, top: number, height: number): string[] {
  const color = LED_COLORS[span.value.color] ?? '#888';
  const x0 = scale.x(span.fromUs);
  const x1 = scale.x(span.toUs);
  if (span.value.color === 'off') return [rect(x0, top, x1, height, COLORS.pulseOff)];
  const { onMs, offMs } = span.value;
  if (offMs === 0) return [rect(x0, top, x1, height, color)];
  const periodUs = (onMs + offMs) * 1000;
  const pulses = (span.toUs - span.fromUs) / periodUs;
  if (periodUs / scale.usPerPx < 4 || pulses > 4000) {
    // too fine to draw pulse by pulse: a dimmed fill whose strength is the duty cycle
    return [rect(x0, top, x1, height, color, ` fill-opacity="${(0.25 + (0.75 * onMs) / (onMs + offMs)).toFixed(2)}"`)];
  }
  const out = [rect(x0, top, x1, height, COLORS.pulseOff)];
  for (let t = span.fromUs; t < span.toUs; t += periodUs) out.push(rect(scale.x(t), top, scale.x(Math.min(t + onMs * 1000, span.toUs)), height, color));
  return out;
}

/** An LED lane: the LED's colour over time, blink pulses drawn as they were. */
export function ledLane(model: TimelineModel, scale: TimeScale, led: LedName): Lane {
  return {
    name: `${led} led`,
    height: 22,
    draw: (top) => model.leds[led].flatMap((span) => ledPulses(span, scale, top + 5, 12)),
  };
}

/** Button presses, down to release. */
export function pressLane(model: TimelineModel, scale: TimeScale): Lane {
  return {
    name: 'buttons',
    height: 22,
    draw: (top) => model.presses.map((span) => rect(scale.x(span.fromUs), top + 6, Math.max(scale.x(span.toUs), scale.x(span.fromUs) + 2), 10, BUTTON_COLORS[span.value] ?? '#888')),
  };
}

/** Recognised gestures: a mark at the instant and a short label. */
export function gestureLane(model: TimelineModel, scale: TimeScale): Lane {
  return {
    name: 'gestures',
    height: 48,
    draw: (top) => {
      const labels = model.gestures.map((g) => GESTURE_STYLE[g.gesture]?.label ?? g.gesture);
      const rows = placeLabels(model.gestures.map((g, i) => ({ x: scale.x(g.atUs), width: textWidth(labels[i] ?? '', 2) })), 2);
      return model.gestures.flatMap((g, i) => {
        const x = scale.x(g.atUs);
        const style = GESTURE_STYLE[g.gesture] ?? { color: '#ccc', label: g.gesture };
        const row = rows[i] ?? -1;
        const mark = `<path d="M${x - 5} ${top + 3}h10l-5 8z" fill="${style.color}"/>`;
        const label = row < 0 ? '' : svgText(labels[i] ?? '', Math.min(x - 2, PLOT_RIGHT - textWidth(labels[i] ?? '', 2)), top + 15 + row * 16, { fill: style.color, scale: 2 });
        return [mark, label];
      });
    },
  };
}

/** The buffer's fill: video held (seconds, area) against the pre-record window, and bytes against the budget (line). */
export function bufferLane(model: TimelineModel, scale: TimeScale): Lane {
  const { samples, preRecordUs, bufferBytes } = model.buffer;
  const height = 74;
  return {
    name: 'buffer',
    note: `${Math.round(preRecordUs / 1_000_000)}s / ${Math.round(bufferBytes / 1_048_576)}mib`,
    height,
    draw: (top) => {
      const bottom = top + height - 6;
      const usableHeight = height - 14;
      // a loop, not Math.max(...spread): an hour at 30 fps is 108 000 samples
      let maxHeldUs = Math.max(preRecordUs, 1);
      let highWater = 0;
      for (const sample of samples) {
        maxHeldUs = Math.max(maxHeldUs, sample.occupancyUs);
        highWater = Math.max(highWater, sample.occupancyBytes);
      }
      const columns = new Map<number, { heldUs: number; bytes: number }>();
      for (const sample of samples) {
        const column = Math.round(scale.x(sample.atUs));
        const seen = columns.get(column);
        columns.set(column, { heldUs: Math.max(seen?.heldUs ?? 0, sample.occupancyUs), bytes: Math.max(seen?.bytes ?? 0, sample.occupancyBytes) });
      }
      const points = [...columns.entries()].sort((a, b) => a[0] - b[0]);
      const out: string[] = [];
      const windowY = Math.round(bottom - (preRecordUs / maxHeldUs) * usableHeight);
      out.push(`<path d="M${scale.x(0)} ${windowY}H${PLOT_RIGHT}" stroke="${COLORS.held}" stroke-opacity="0.5" stroke-dasharray="4 4"/>`);
      if (points.length > 0) {
        const held = points.map(([x, v]) => `L${x} ${Math.round((bottom - (v.heldUs / maxHeldUs) * usableHeight) * 10) / 10}`).join('');
        out.push(`<path d="M${points[0]?.[0]} ${bottom}${held}L${points[points.length - 1]?.[0]} ${bottom}z" fill="${COLORS.held}" fill-opacity="0.55"/>`);
        const bytes = points.map(([x, v], i) => `${i === 0 ? 'M' : 'L'}${x} ${Math.round((bottom - (v.bytes / Math.max(1, bufferBytes)) * usableHeight) * 10) / 10}`).join('');
        out.push(`<path d="${bytes}" fill="none" stroke="${COLORS.bytes}" stroke-width="1.5"/>`);
      }
      out.push(...gopMarks(model.buffer.keyframesUs, scale, top + 2, bottom));
      out.push(svgText(`${Math.round(preRecordUs / 1_000_000)}s window`, scale.x(0) + 4, windowY + 4, { fill: COLORS.held }));
      if (samples.length === 0) return out;
      const highWaterY = Math.round(bottom - (highWater / Math.max(1, bufferBytes)) * usableHeight);
      out.push(svgText(`${formatBytes(highWater)} max`, PLOT_RIGHT - 4, highWaterY - 17, { anchor: 'end', fill: COLORS.bytes, backing: '#00000088' }));
      return out;
    },
  };
}

/**
 * GOPs: every other GOP shaded from its keyframe to the next, and a tick at each keyframe. Ticks
 * closer than 3 px merge into one (a long run at 1 s GOPs would otherwise be a solid bar).
 */
function gopMarks(keyframesUs: readonly number[], scale: TimeScale, top: number, bottom: number): string[] {
  if (keyframesUs.length === 0) return [];
  const out: string[] = [];
  let lastTickX = -Infinity;
  keyframesUs.forEach((us, i) => {
    const x = scale.x(us);
    const next = keyframesUs[i + 1];
    if (i % 2 === 0 && next !== undefined && scale.x(next) - x >= 2) out.push(rect(x, top, scale.x(next), bottom - top, COLORS.gop, ' fill-opacity="0.12"'));
    if (x - lastTickX < 3) return;
    lastTickX = x;
    out.push(`<path d="M${x} ${bottom - 8}v8" stroke="${COLORS.keyframe}" stroke-width="1.5"/>`);
  });
  return out;
}

/** `11.0mib`, `92kib`: a byte count for a label. */
function formatBytes(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)}mib` : `${Math.round(bytes / 1024)}kib`;
}

/** Rows for recordings so that bars that overlap in time (pre-roll overlap) do not cover each other. */
export function recordingRows(bars: readonly RecordingBar[]): number[] {
  const ends: number[] = [];
  return bars.map((bar) => {
    let row = ends.findIndex((endUs) => endUs <= bar.firstFrameUs);
    if (row < 0) row = ends.length;
    ends[row] = bar.stopUs;
    return row;
  });
}

function recordingLabel(bar: RecordingBar, width: number): string {
  const limited = bar.limitedBy === null ? '' : ` (${bar.limitedBy})`;
  const candidates = [
    `#${bar.number} pre-roll ${(bar.preRollUs / 1_000_000).toFixed(2)}s${limited}, stop: ${bar.reason}${bar.complete ? '' : ' [cut]'}`,
    `#${bar.number} pre ${(bar.preRollUs / 1_000_000).toFixed(2)}s, ${bar.reason}`,
    `#${bar.number} ${(bar.preRollUs / 1_000_000).toFixed(1)}s`,
    `#${bar.number}`,
  ];
  return candidates.find((text) => textWidth(text, 2) + 8 <= width) ?? '';
}

/** Recordings: the pre-roll hatched, the recording solid, markers as white ticks. */
export function recordingLane(model: TimelineModel, scale: TimeScale): Lane {
  const rows = recordingRows(model.recordings);
  const rowCount = Math.max(1, ...rows.map((row) => row + 1));
  return {
    name: 'recordings',
    note: model.recordings.length === 0 ? 'none' : undefined,
    height: rowCount * 30 + 4,
    draw: (top) => model.recordings.flatMap((bar, i) => {
      const y = top + 4 + (rows[i] ?? 0) * 30;
      const x0 = scale.x(bar.firstFrameUs);
      const xt = scale.x(bar.triggerUs);
      const x1 = Math.max(scale.x(bar.stopUs), xt + 1);
      const out = [
        rect(x0, y, xt, 24, COLORS.preRoll, ' fill-opacity="0.45"'),
        rect(x0, y, xt, 24, 'url(#hatch)'),
        rect(xt, y, x1, 24, COLORS.recording),
      ];
      if (!bar.complete) out.push(`<path d="M${x1} ${y}l-4 6l4 6l-4 6l4 6" fill="none" stroke="${COLORS.background}" stroke-width="2"/>`);
      // The pre-roll's keyframes: the first is where the recording starts (contract §9).
      for (const keyUs of bar.preRollKeyframesUs) out.push(`<path d="M${scale.x(keyUs)} ${y + 16}v8" stroke="${COLORS.keyframe}" stroke-width="2"/>`);
      for (const markerUs of bar.markersUs) out.push(`<path d="M${scale.x(markerUs)} ${y - 2}v28" stroke="${COLORS.marker}" stroke-width="2"/>`);
      out.push(svgText(recordingLabel(bar, x1 - x0), x0 + 4, y + 5, { backing: '#00000088' }));
      return out;
    }),
  };
}

/** Incidents: faults, frame drops, storage and battery changes, power cuts, dock, signals. */
export function incidentLane(model: TimelineModel, scale: TimeScale): Lane {
  const drops = model.incidents.filter((incident) => incident.kind === 'drop').length;
  const labelled = model.incidents.filter((incident) => incident.kind !== 'drop');
  return {
    name: 'events',
    note: drops === 0 ? 'no drops' : `${drops} drop${drops === 1 ? '' : 's'}`,
    height: 48,
    draw: (top) => {
      const out = model.incidents.filter((incident) => incident.kind === 'drop')
        .map((incident) => `<path d="M${scale.x(incident.atUs)} ${top + 3}v10" stroke="${INCIDENT_COLORS.drop}" stroke-width="1.5"/>`);
      const rows = placeLabels(labelled.map((incident) => ({ x: scale.x(incident.atUs), width: textWidth(incident.label, 2) })), 2);
      labelled.forEach((incident, i) => {
        const x = scale.x(incident.atUs);
        const color = INCIDENT_COLORS[incident.kind] ?? '#fff';
        out.push(`<path d="M${x} ${top + 2}l5 9h-10z" fill="${color}"/>`);
        const row = rows[i] ?? -1;
        if (row >= 0) out.push(svgText(incident.label, Math.min(x - 2, PLOT_RIGHT - textWidth(incident.label, 2)), top + 15 + row * 16, { fill: color }));
      });
      return out;
    },
  };
}
