/**
 * The team's timeline (contract §10): every camera on one time axis, the coordinator's view of an
 * incident. Each camera is a lane: its mode as a thin band, its recordings (pre-roll hatched,
 * after the trigger solid, markers white), its triggers; the trigger bus's sends are diamonds on
 * the sender's lane and its deliveries lines from the sender at the send to the receiver at the
 * arrival. Pure and deterministic: the same run gives the same bytes.
 */
import type { BusEvent, DeviceEvent } from '../events/index.js';
import type { RecordingManifest } from '../recorder/index.js';
import { svgText, textWidth } from './svg-text.js';
import { COLORS, INCIDENT_COLORS, MODE_COLORS, PLOT_LEFT, PLOT_RIGHT, TIMELINE_WIDTH, tickLabel, tickStepUs, timeScale } from './timeline-style.js';

/** One camera of the team's timeline. */
export interface FleetTimelineDevice {
  readonly id: string;
  readonly group: string | null;
  readonly events: readonly DeviceEvent[];
  readonly recordings: readonly RecordingManifest[];
}

/** Everything the team's timeline is drawn from. */
export interface FleetTimelineInput {
  readonly title: string;
  /** Scenario time at which the run ended. */
  readonly endUs: number;
  readonly devices: readonly FleetTimelineDevice[];
  /** The bus log (sends and deliveries). */
  readonly bus: readonly BusEvent[];
}

const AXIS_TOP = 52;
const LANES_TOP = 74;
const LANE_HEIGHT = 44;
const LANE_GAP = 4;
const BUS_COLOR = INCIDENT_COLORS.signal ?? '#18ffff';
const CANCEL_COLOR = '#ffab40';

const rect = (x0: number, y: number, x1: number, height: number, fill: string, extra = ''): string =>
  `<rect x="${x0}" y="${y}" width="${Math.max(0.5, Math.round((x1 - x0) * 10) / 10)}" height="${height}" fill="${fill}"${extra}/>`;

/** Mode spans of one camera from its `state` events. */
function modeSpans(events: readonly DeviceEvent[], endUs: number): { fromUs: number; toUs: number; mode: string }[] {
  const changes = events.flatMap((e) => (e.type === 'state' ? [{ atUs: e.t, mode: e.to }] : []));
  return changes.flatMap((change, i) => {
    const toUs = Math.max(change.atUs, changes[i + 1]?.atUs ?? endUs);
    return toUs > change.atUs ? [{ fromUs: change.atUs, toUs, mode: change.mode }] : [];
  });
}

/** Renders the team's timeline as an SVG document. */
export function fleetTimelineSvg(input: FleetTimelineInput): string {
  const scale = timeScale(input.endUs);
  const laneTop = new Map<string, number>();
  input.devices.forEach((device, i) => laneTop.set(device.id, LANES_TOP + i * (LANE_HEIGHT + LANE_GAP)));
  const lanesBottom = LANES_TOP + input.devices.length * (LANE_HEIGHT + LANE_GAP) - LANE_GAP;
  const body: string[] = [];

  input.devices.forEach((device, i) => {
    const top = laneTop.get(device.id) ?? LANES_TOP;
    body.push(`<rect x="0" y="${top}" width="${TIMELINE_WIDTH}" height="${LANE_HEIGHT}" fill="${i % 2 === 0 ? COLORS.laneA : COLORS.laneB}"/>`);
    body.push(svgText(device.id, 14, top + 8));
    body.push(svgText(device.group ?? 'no group', 14, top + 26, { fill: COLORS.dim }));
  });

  const stepUs = tickStepUs(scale.usPerPx);
  for (let t = 0; t <= input.endUs; t += stepUs) {
    const x = scale.x(t);
    body.push(`<path d="M${x} ${AXIS_TOP + 16}V${lanesBottom}" stroke="${COLORS.grid}" stroke-width="1"/>`);
    body.push(svgText(tickLabel(t, stepUs, input.endUs), x, AXIS_TOP, { anchor: t === 0 ? 'start' : 'middle', fill: COLORS.dim }));
  }

  for (const device of input.devices) {
    const top = laneTop.get(device.id) ?? LANES_TOP;
    for (const span of modeSpans(device.events, input.endUs)) body.push(rect(scale.x(span.fromUs), top + 3, scale.x(span.toUs), 6, MODE_COLORS[span.mode] ?? '#555'));
    for (const m of device.recordings) {
      const y = top + 13;
      const x0 = scale.x(m.video.firstFrameUs ?? m.trigger.atUs);
      const xt = scale.x(m.trigger.atUs);
      const x1 = Math.max(scale.x(m.stop.atUs), xt + 1);
      body.push(rect(x0, y, xt, 22, COLORS.preRoll, ' fill-opacity="0.45"'), rect(x0, y, xt, 22, 'url(#hatch)'), rect(xt, y, x1, 22, COLORS.recording));
      for (const markerUs of m.markers) body.push(`<path d="M${scale.x(markerUs)} ${y - 2}v26" stroke="${COLORS.marker}" stroke-width="2"/>`);
      body.push(`<path d="M${xt} ${top + 1}v${LANE_HEIGHT - 2}" stroke="${COLORS.trigger}" stroke-width="1" stroke-dasharray="3 2"/>`);
      const label = m.trigger.source === 'signal' ? `${m.trigger.signal ?? 'signal'} from ${m.trigger.sender ?? '?'}` : m.trigger.source;
      const stop = m.stop.detail === 'cancelled' ? ', cancelled' : '';
      const text = `${label}${stop}`;
      if (textWidth(text, 2) + 8 <= Math.max(x1 - xt, PLOT_RIGHT - xt)) body.push(svgText(text, xt + 4, y + 6, { backing: '#00000088' }));
    }
  }

  // the bus on top: a diamond where a sensor sent, a line to each camera it reached
  for (const event of input.bus) {
    const color = event.message === 'cancel' ? CANCEL_COLOR : BUS_COLOR;
    if (event.type === 'bus.send') {
      const top = laneTop.get(event.sender);
      if (top !== undefined) body.push(`<path d="M${scale.x(event.t)} ${top + 34}l5 5l-5 5l-5 -5z" fill="${color}"/>`);
      continue;
    }
    const from = laneTop.get(event.sender);
    const to = laneTop.get(event.receiver);
    if (from === undefined || to === undefined) continue;
    const dash = event.dropped === undefined ? '' : ' stroke-dasharray="2 3"';
    body.push(`<path d="M${scale.x(event.sentUs)} ${from + 39}L${scale.x(event.t)} ${to + 39}" stroke="${color}" stroke-width="1.5"${dash}/>`);
    body.push(`<circle cx="${scale.x(event.t)}" cy="${to + 39}" r="3" fill="${color}"/>`);
  }

  const legendTop = lanesBottom + 14;
  const legend: string[] = [];
  let x = 16;
  const item = (swatch: string, label: string): void => {
    legend.push(swatch.replaceAll('{x}', String(x)).replaceAll('{y}', String(legendTop)), svgText(label, x + 20, legendTop + 2, { fill: COLORS.dim }));
    x += 20 + textWidth(label, 2) + 18;
  };
  item(`<rect x="{x}" y="{y}" width="14" height="14" fill="${COLORS.preRoll}" fill-opacity="0.45"/><rect x="{x}" y="{y}" width="14" height="14" fill="url(#hatch)"/>`, 'pre-roll');
  item(`<rect x="{x}" y="{y}" width="14" height="14" fill="${COLORS.recording}"/>`, 'after trigger');
  item(`<path d="M{x} {y}m7 0v14" stroke="${COLORS.marker}" stroke-width="2"/>`, 'marker');
  item(`<path d="M{x} {y}m7 2l5 5l-5 5l-5 -5z" fill="${BUS_COLOR}"/>`, 'signal sent');
  item(`<path d="M{x} {y}m0 12l14 -10" stroke="${BUS_COLOR}" stroke-width="1.5"/>`, 'delivered');
  item(`<path d="M{x} {y}m0 12l14 -10" stroke="${CANCEL_COLOR}" stroke-width="1.5"/>`, 'cancel');
  const height = legendTop + 30;
  const recordings = input.devices.reduce((sum, device) => sum + device.recordings.length, 0);
  const summary = `${(input.endUs / 1_000_000).toFixed(1)}s, ${input.devices.length} cameras, ${recordings} recording${recordings === 1 ? '' : 's'}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${TIMELINE_WIDTH}" height="${height}" viewBox="0 0 ${TIMELINE_WIDTH} ${height}" shape-rendering="crispEdges">`,
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
      + '<rect width="2" height="6" fill="#ffffff" fill-opacity="0.35"/></pattern></defs>',
    `<rect width="${TIMELINE_WIDTH}" height="${height}" fill="${COLORS.background}"/>`,
    svgText(input.title, 14, 14, { scale: 3 }),
    svgText(summary, PLOT_RIGHT, 18, { anchor: 'end', fill: COLORS.dim }),
    `<path d="M${PLOT_LEFT} ${AXIS_TOP + 16}H${PLOT_RIGHT}" stroke="${COLORS.dim}"/>`,
    ...body.filter((element) => element !== ''),
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}
