/**
 * The zod schemas of the expectation language, one strict object per assertion kind, picked by
 * the kind's key (`recordings`, `recording`, `led`, `state`, `gesture`, `noFrameDrops`,
 * `frameDrops`, `faults`). Unknown keys are rejected with the place and the keys allowed.
 */
import { z } from 'zod';
import { PRE_ROLL_LIMITS } from '../buffer/index.js';
import { DEVICE_MODES } from '../device/index.js';
import {
  BUTTONS, CONTRACT_STOP_REASONS, EVENT_TYPES, FAULT_CODES, FRAME_DROP_REASONS, GESTURES, LED_COLORS, LED_NAMES, SIGNALS, STOP_DETAILS,
  TRIGGER_SOURCES,
} from '../events/index.js';
import { MAX_EVENT_SECONDS } from '../fixture/scenario-events.js';

const secondsText = `a time in seconds from 0 to ${MAX_EVENT_SECONDS}`;
const usText = 'a whole number of microseconds (0 or more)';
const countText = 'a whole number (0 or more)';

/** Seconds of fixture time (ms precision for `at`, µs for the rest). */
export const secondsSchema = z.number({ error: secondsText }).min(0, { error: secondsText }).max(MAX_EVENT_SECONDS, { error: secondsText });
/** Integer microseconds. */
export const usSchema = z.number({ error: usText }).int({ error: usText }).min(0, { error: usText }).max(Number.MAX_SAFE_INTEGER, { error: usText });
const countSchema = z.number({ error: countText }).int({ error: countText }).min(0, { error: countText }).max(1_000_000_000, { error: countText });
const recordingNumber = z.number({ error: 'a recording number from 1 (in trigger order)' }).int({ error: 'a recording number from 1 (in trigger order)' })
  .min(1, { error: 'a recording number from 1 (in trigger order)' }).max(1_000_000);

const ledName = z.enum(LED_NAMES);
const ledColor = z.enum(LED_COLORS);
const modeSchema = z.enum(DEVICE_MODES);
const occurrence = z.union([recordingNumber, z.literal('every')], { error: 'an occurrence number from 1, or "every"' });

/** `{ "recordings": 2 }` */
export const recordingCountSchema = z.strictObject({ recordings: countSchema });

/** `{ "recording": 1, ...properties }`: the properties of one recording (1-based, trigger order). */
export const recordingSchema = z.strictObject({
  recording: recordingNumber,
  preRollSeconds: secondsSchema.optional(),
  preRollUs: usSchema.optional(),
  firstFrameSeconds: secondsSchema.optional(),
  firstFrameUs: usSchema.optional(),
  lastFrameSeconds: secondsSchema.optional(),
  lastFrameUs: usSchema.optional(),
  triggerSeconds: secondsSchema.optional(),
  triggerUs: usSchema.optional(),
  stopSeconds: secondsSchema.optional(),
  stopUs: usSchema.optional(),
  audioStartSeconds: secondsSchema.optional(),
  audioStartUs: usSchema.optional(),
  audioEndSeconds: secondsSchema.optional(),
  audioEndUs: usSchema.optional(),
  frames: countSchema.optional(),
  stopReason: z.enum(CONTRACT_STOP_REASONS).optional(),
  stopDetail: z.enum(STOP_DETAILS).nullable().optional(),
  limitedBy: z.enum(PRE_ROLL_LIMITS).nullable().optional(),
  triggerSource: z.enum(TRIGGER_SOURCES).optional(),
  complete: z.boolean({ error: 'true or false' }).optional(),
  markers: z.array(secondsSchema).max(100_000).optional(),
  markersUs: z.array(usSchema).max(100_000).optional(),
  audioMatchesVideo: z.literal(true, { error: 'true (audio starts with the first frame and ends at the stop)' }).optional(),
  tolerance: secondsSchema.optional(),
  toleranceUs: usSchema.optional(),
});

/** Anchor objects of an LED window (`after`), one key each. */
export const anchorSchemas = {
  gesture: z.strictObject({ gesture: z.enum(GESTURES), occurrence: occurrence.optional() }),
  press: z.strictObject({ press: z.enum(BUTTONS), occurrence: occurrence.optional() }),
  release: z.strictObject({ release: z.enum(BUTTONS), occurrence: occurrence.optional() }),
  signal: z.strictObject({ signal: z.enum(SIGNALS), occurrence: occurrence.optional() }),
  state: z.strictObject({ state: modeSchema, occurrence: occurrence.optional() }),
  event: z.strictObject({ event: z.enum(EVENT_TYPES), occurrence: occurrence.optional() }),
} as const;

/** `{ "led": "record", "color": "red", at | at+within | after(+within) | during }` */
export const ledSchema = z.strictObject({
  led: ledName,
  color: ledColor,
  solid: z.boolean({ error: 'true (solid) or false (blinking)' }).optional(),
  at: secondsSchema.optional(),
  within: secondsSchema.optional(),
  after: z.record(z.string(), z.unknown()).optional(),
  during: z.strictObject({ recording: recordingNumber }).optional(),
});

/** `{ "at": 41, "state": "recording" }` */
export const stateSchema = z.strictObject({ at: secondsSchema, state: modeSchema });

/** `{ "gesture": "record-press", "within": 0.06 }` or `{ "gesture": "marker", "count": 1 }` */
export const gestureSchema = z.strictObject({ gesture: z.enum(GESTURES), within: secondsSchema.optional(), count: countSchema.optional() });

/** `{ "noFrameDrops": true }` */
export const noFrameDropsSchema = z.strictObject({
  noFrameDrops: z.literal(true, { error: 'true (to expect drops, write {"frameDrops": N})' }),
});

/** `{ "frameDrops": 3, "reason": "corrupt" }` */
export const frameDropsSchema = z.strictObject({ frameDrops: countSchema, reason: z.enum(FRAME_DROP_REASONS).optional() });

/** `{ "faults": 0 }` or `{ "faults": 1, "code": "storage-fail" }` */
export const faultsSchema = z.strictObject({ faults: countSchema, code: z.enum(FAULT_CODES).optional() });

/** The kind key of each assertion object, and its schema. */
export const ASSERTION_SCHEMAS = {
  recordings: recordingCountSchema,
  recording: recordingSchema,
  led: ledSchema,
  state: stateSchema,
  gesture: gestureSchema,
  noFrameDrops: noFrameDropsSchema,
  frameDrops: frameDropsSchema,
  faults: faultsSchema,
} as const;
