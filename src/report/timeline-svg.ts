/**
 * The run's timeline as one SVG: a title, a time axis, the lanes (state, LEDs, buttons, gestures,
 * buffer, recordings, events) with trigger and stop lines across them, and a legend. All text is
 * drawn with the 5x7 bitmap font, so the picture needs no fonts. Deterministic: the same model
 * gives the same bytes.
 */
import { svgText, textWidth } from './svg-text.js';
import {
  type Lane, bufferLane, gestureLane, incidentLane, ledLane, modeLane, pressLane, recordingLane,
} from './timeline-lanes.js';
import { type TimelineInput, type TimelineModel, timelineModel } from './timeline-model.js';
import {
  BUTTON_COLORS, COLORS, MODE_COLORS, PLOT_LEFT, PLOT_RIGHT, TIMELINE_WIDTH, tickLabel, tickStepUs, timeScale,
} from './timeline-style.js';

const LANE_GAP = 4;
const AXIS_TOP = 52;
const LANES_TOP = 74;

/** The legend, wrapped to the picture's width; returns its elements and height. */
function legend(model: TimelineModel, top: number): { elements: string[]; height: number } {
  const out: string[] = [];
  let x = 16;
  let y = top;
  const item = (swatch: string, label: string): void => {
    const width = 20 + textWidth(label, 2);
    if (x + width > TIMELINE_WIDTH - 16) {
      x = 16;
      y += 24;
    }
    out.push(swatch.replaceAll('{x}', String(x)).replaceAll('{y}', String(y)), svgText(label, x + 20, y + 2, { fill: COLORS.dim }));
    x += width + 18;
  };
  const box = (fill: string, extra = ''): string => `<rect x="{x}" y="{y}" width="14" height="14" fill="${fill}"${extra}/>`;
  const modes = [...new Set(model.modes.map((span) => span.value))];
  for (const mode of modes) item(box(MODE_COLORS[mode] ?? '#555'), mode);
  item(`${box(COLORS.preRoll, ' fill-opacity="0.45"')}${box('url(#hatch)')}`, 'pre-roll');
  item(box(COLORS.recording), 'after trigger');
  item(`<path d="M{x} {y}m7 0v14" stroke="${COLORS.marker}" stroke-width="2"/>`, 'marker');
  item(`<path d="M{x} {y}m7 0v14" stroke="${COLORS.trigger}" stroke-dasharray="3 2"/>`, 'trigger');
  item(box(COLORS.held, ' fill-opacity="0.55"'), 'video held');
  item(`<path d="M{x} {y}m0 7h14" stroke="${COLORS.bytes}" stroke-width="2"/>`, 'bytes');
  if (model.buffer.keyframesUs.length > 0) {
    item(`${box(COLORS.gop, ' fill-opacity="0.12"')}<path d="M{x} {y}m7 6v8" stroke="${COLORS.keyframe}" stroke-width="2"/>`, 'GOP, keyframe');
  }
  const buttons = [...new Set(model.presses.map((span) => span.value))];
  for (const button of buttons) item(box(BUTTON_COLORS[button] ?? '#888'), `${button} button`);
  return { elements: out, height: y - top + 14 };
}

/** Renders a run's timeline as an SVG document. */
export function timelineSvg(input: TimelineInput): string {
  const model = timelineModel(input);
  const scale = timeScale(model.endUs);
  const lanes: Lane[] = [
    modeLane(model, scale),
    ledLane(model, scale, 'record'),
    ledLane(model, scale, 'status'),
    pressLane(model, scale),
    gestureLane(model, scale),
    bufferLane(model, scale),
    recordingLane(model, scale),
    incidentLane(model, scale),
  ];
  const lanesHeight = lanes.reduce((sum, lane) => sum + lane.height + LANE_GAP, 0);
  const legendTop = LANES_TOP + lanesHeight + 14;
  const key = legend(model, legendTop);
  const height = legendTop + key.height + 16;
  const body: string[] = [];

  // lanes: background band, name, note
  let top = LANES_TOP;
  const laneTops: number[] = [];
  lanes.forEach((lane, i) => {
    laneTops.push(top);
    body.push(`<rect x="0" y="${top}" width="${TIMELINE_WIDTH}" height="${lane.height}" fill="${i % 2 === 0 ? COLORS.laneA : COLORS.laneB}"/>`);
    body.push(svgText(lane.name, 14, top + Math.round(lane.height / 2) - (lane.note === undefined ? 7 : 15)));
    if (lane.note !== undefined) body.push(svgText(lane.note, 14, top + Math.round(lane.height / 2) + 3, { fill: COLORS.dim }));
    top += lane.height + LANE_GAP;
  });
  const lanesBottom = top - LANE_GAP;

  // axis: ticks and grid lines through every lane
  const stepUs = tickStepUs(scale.usPerPx);
  for (let t = 0; t <= model.endUs; t += stepUs) {
    const x = scale.x(t);
    body.push(`<path d="M${x} ${AXIS_TOP + 16}V${lanesBottom}" stroke="${COLORS.grid}" stroke-width="1"/>`);
    body.push(svgText(tickLabel(t, stepUs, model.endUs), x, AXIS_TOP, { anchor: t === 0 ? 'start' : 'middle', fill: COLORS.dim }));
  }

  lanes.forEach((lane, i) => body.push(...lane.draw(laneTops[i] ?? 0)));

  // trigger and stop lines across all lanes
  for (const bar of model.recordings) {
    body.push(`<path d="M${scale.x(bar.triggerUs)} ${AXIS_TOP + 16}V${lanesBottom}" stroke="${COLORS.trigger}" stroke-width="1" stroke-dasharray="3 2"/>`);
    body.push(`<path d="M${scale.x(bar.stopUs)} ${AXIS_TOP + 16}V${lanesBottom}" stroke="${COLORS.stop}" stroke-width="1" stroke-dasharray="3 2"/>`);
  }

  const recordings = model.recordings.length;
  const summary = `${(model.endUs / 1_000_000).toFixed(1)}s, ${recordings} recording${recordings === 1 ? '' : 's'}`;
  const header = [
    svgText(model.title, 14, 14, { scale: 3 }),
    svgText(summary, PLOT_RIGHT, 18, { anchor: 'end', fill: COLORS.dim }),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${TIMELINE_WIDTH}" height="${height}" viewBox="0 0 ${TIMELINE_WIDTH} ${height}" shape-rendering="crispEdges">`,
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
      + '<rect width="2" height="6" fill="#ffffff" fill-opacity="0.35"/></pattern></defs>',
    `<rect width="${TIMELINE_WIDTH}" height="${height}" fill="${COLORS.background}"/>`,
    ...header,
    `<path d="M${PLOT_LEFT} ${AXIS_TOP + 16}H${PLOT_RIGHT}" stroke="${COLORS.dim}"/>`,
    ...body.filter((element) => element !== ''),
    ...key.elements,
    '</svg>',
    '',
  ].join('\n');
}
