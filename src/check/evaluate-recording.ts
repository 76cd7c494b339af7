/**
 * Assertions about one recording, measured from its manifest: times (pre-roll, frames, trigger,
 * stop, audio span), counts, stop reason, limit, trigger source, markers, audio/video match.
 */
import type { RecordingManifest } from '../recorder/index.js';
import type { AssertionSpec, MeasuredValue, RecordingTimeField } from './expectation-types.js';
import { type RecordingEntry, audioEndUs } from './run-outcome.js';
import { formatDelta, formatTime, formatWithTolerance, plural } from './wording.js';

/** A verdict before it is given its place: what was asserted, expected and measured. */
export interface Verdict {
  readonly description: string;
  readonly passed: boolean;
  readonly expected: string;
  readonly measured: string;
  readonly measuredValue: MeasuredValue;
}

/** The assertions about one recording's manifest. */
export type RecordingSpec = Exclude<Extract<AssertionSpec, { recording: number }>, { kind: 'led-during' }>;

const FIELD_NAMES: Readonly<Record<RecordingTimeField, string>> = {
  preRoll: 'pre-roll', firstFrame: 'first frame', lastFrame: 'last frame', trigger: 'trigger', stop: 'stop',
  audioStart: 'audio start', audioEnd: 'audio end',
};

/** The measured value of a time field, or a reason there is none. */
function timeField(manifest: RecordingManifest, field: RecordingTimeField): number | string {
  switch (field) {
    case 'preRoll': return manifest.preRoll.actualUs;
    case 'firstFrame': return manifest.video.firstFrameUs ?? 'no frames';
    case 'lastFrame': return manifest.video.lastFrameUs ?? 'no frames';
    case 'trigger': return manifest.trigger.atUs;
    case 'stop': return manifest.stop.atUs;
    case 'audioStart': return manifest.audio === null ? 'no audio track' : (manifest.audio.firstSampleUs ?? 'no audio samples');
    case 'audioEnd': return manifest.audio === null ? 'no audio track' : (audioEndUs(manifest.audio) ?? 'no audio samples');
  }
}

/** Describes a recording assertion, without measuring anything. */
export function describeRecordingSpec(spec: RecordingSpec): { description: string; expected: string } {
  const r = `recording ${spec.recording}`;
  switch (spec.kind) {
    case 'recording-time': {
      const expected = formatWithTolerance(spec.expectedUs, spec.toleranceUs, spec.unit);
      return { description: `${r} ${FIELD_NAMES[spec.field]} is ${expected}`, expected };
    }
    case 'recording-frames': return { description: `${r} holds ${plural(spec.frames, 'frame')}`, expected: plural(spec.frames, 'frame') };
    case 'recording-stop-reason': return { description: `${r} stopped by ${spec.reason}`, expected: `stop reason ${spec.reason}` };
    case 'recording-stop-detail': {
      const expected = spec.detail === null ? 'no stop detail' : `stop detail ${spec.detail}`;
      return { description: `${r} has ${expected}`, expected };
    }
    case 'recording-limited-by': {
      const expected = spec.limitedBy === null ? 'a full pre-roll (limitedBy null)' : `pre-roll limited by ${spec.limitedBy}`;
      return { description: `${r} has ${expected}`, expected };
    }
    case 'recording-trigger-source': return { description: `${r} triggered by ${spec.source}`, expected: `trigger source ${spec.source}` };
    case 'recording-complete': {
      const expected = spec.complete ? 'complete' : 'incomplete (cut off)';
      return { description: `${r} is ${expected}`, expected };
    }
    case 'recording-markers': {
      const list = spec.markersUs.map((us) => formatTime(us, spec.unit)).join(', ');
      const tolerance = spec.toleranceUs === 0 ? 'exactly' : `± ${formatTime(spec.toleranceUs, spec.unit)}`;
      const expected = spec.markersUs.length === 0 ? 'no markers' : `markers at ${list} ${tolerance}`;
      return { description: `${r} has ${expected}`, expected };
    }
    case 'recording-av-match': {
      const tolerance = spec.toleranceUs === null ? 'one audio sample' : formatTime(spec.toleranceUs, 'seconds');
      const expected = `audio from the first frame to the stop, within ${tolerance}`;
      return { description: `${r} audio span matches its video`, expected };
    }
  }
}

/** Evaluates an assertion about one recording (`entry` undefined: the run has no such recording). */
export function evaluateRecordingSpec(spec: RecordingSpec, entry: RecordingEntry | undefined, count: number): Verdict {
  const { description, expected } = describeRecordingSpec(spec);
  const fail = (measured: string, measuredValue: MeasuredValue = null): Verdict => ({ description, passed: false, expected, measured, measuredValue });
  if (entry === undefined) return fail(`no recording ${spec.recording}: the run made ${plural(count, 'recording')}`);
  const manifest = entry.manifest;
  if (manifest === null) return fail(`recording ${spec.recording} (${entry.id}) has no manifest`);
  const verdict = (passed: boolean, measured: string, measuredValue: MeasuredValue): Verdict => ({ description, passed, expected, measured, measuredValue });
  switch (spec.kind) {
    case 'recording-time': {
      const value = timeField(manifest, spec.field);
      if (typeof value === 'string') return fail(value);
      const offUs = value - spec.expectedUs;
      const off = offUs === 0 ? '' : ` (${formatDelta(offUs, spec.unit)})`;
      return verdict(Math.abs(offUs) <= spec.toleranceUs, `${formatTime(value, spec.unit)}${off}`, value);
    }
    case 'recording-frames':
      return verdict(manifest.video.frames === spec.frames, plural(manifest.video.frames, 'frame'), manifest.video.frames);
    case 'recording-stop-reason':
      return verdict(manifest.stop.reason === spec.reason, `stop reason ${manifest.stop.reason}`, manifest.stop.reason);
    case 'recording-stop-detail': {
      const detail = manifest.stop.detail ?? null;
      return verdict(detail === spec.detail, detail === null ? 'no stop detail' : `stop detail ${detail}`, detail);
    }
    case 'recording-limited-by': {
      const limit = manifest.preRoll.limitedBy;
      return verdict(limit === spec.limitedBy, limit === null ? 'a full pre-roll (limitedBy null)' : `pre-roll limited by ${limit}`, limit);
    }
    case 'recording-trigger-source':
      return verdict(manifest.trigger.source === spec.source, `trigger source ${manifest.trigger.source}`, manifest.trigger.source);
    case 'recording-complete':
      return verdict(manifest.complete === spec.complete, manifest.complete ? 'complete' : 'incomplete (cut off)', manifest.complete);
    case 'recording-markers': {
      const markers = manifest.markers;
      const close = markers.length === spec.markersUs.length
        && markers.every((us, i) => Math.abs(us - (spec.markersUs[i] ?? Number.NaN)) <= spec.toleranceUs);
      const measured = markers.length === 0 ? 'no markers' : `markers at ${markers.map((us) => formatTime(us, spec.unit)).join(', ')}`;
      return verdict(close, measured, [...markers]);
    }
    case 'recording-av-match':
      return audioVideoMatch(spec.toleranceUs, manifest, { description, expected });
  }
}

function audioVideoMatch(toleranceUs: number | null, manifest: RecordingManifest, words: { description: string; expected: string }): Verdict {
  const fail = (measured: string): Verdict => ({ ...words, passed: false, measured, measuredValue: null });
  const audio = manifest.audio;
  if (audio === null) return fail('no audio track');
  const endUs = audioEndUs(audio);
  if (audio.firstSampleUs === null || endUs === null) return fail('no audio samples');
  if (manifest.video.firstFrameUs === null) return fail('no video frames');
  const tolerance = toleranceUs ?? Math.ceil(1_000_000 / audio.sampleRate);
  const startDeltaUs = audio.firstSampleUs - manifest.video.firstFrameUs;
  const endDeltaUs = endUs - manifest.stop.atUs;
  const passed = Math.abs(startDeltaUs) <= tolerance && Math.abs(endDeltaUs) <= tolerance;
  const measured = `audio starts ${formatDelta(startDeltaUs)} from the first frame and ends ${formatDelta(endDeltaUs)} from the stop (tolerance ${formatTime(tolerance, 'seconds')})`;
  return { ...words, passed, measured, measuredValue: [startDeltaUs, endDeltaUs] };
}
