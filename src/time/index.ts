export {
  US_PER_SECOND, US_PER_MS, isMicroseconds, assertMicroseconds, secondsToUs, exactSecondsToUs, usToSeconds, msToUs,
  nearestSampleIndex, samplesDurationUs,
  nominalFrameUs, sampleTimeUs, firstSampleAtOrAfter, formatUs,
} from './microseconds.js';
export {
  DEFAULT_CLOCK_START, parseWallClock, wallClockFields, formatWallClockIso, formatBurnInClock, formatFileStamp, wallClockSecond,
  assertWallClockInRange, MAX_WALL_CLOCK_YEAR,
} from './wall-clock.js';
export type { WallClockOrigin, WallClockFields } from './wall-clock.js';
export { VirtualClock } from './simulation-clock.js';
export type { SimulationClock } from './simulation-clock.js';
export { RealTimeClock, SYSTEM_TIMERS } from './real-time-clock.js';
export type { RealTimeClockOptions, HostTimers, ClockGate } from './real-time-clock.js';
