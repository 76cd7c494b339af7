/**
 * The run report a person looks at: a timeline of state, LEDs, buttons, gestures, buffer fill,
 * recordings with their pre-roll, and incidents, as SVG (bitmap-font text) and PNG.
 */
export { timelineModel } from './timeline-model.js';
export type { TimelineInput, TimelineModel, BufferSample, Span, RecordingBar, Incident } from './timeline-model.js';
export { timelineSvg } from './timeline-svg.js';
export { writeTimeline, writeFleetTimeline, renderSvgToPng, TIMELINE_FILES } from './timeline-files.js';
export { fleetTimelineSvg } from './fleet-timeline-svg.js';
export type { FleetTimelineInput, FleetTimelineDevice } from './fleet-timeline-svg.js';
export { svgText, textPathData, textWidth } from './svg-text.js';
