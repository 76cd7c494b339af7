/**
 * The timeline's look: canvas geometry, colours, and the time-to-x mapping. One place, so the
 * lanes and the legend agree.
 */

/** Width of the picture in pixels. */
export const TIMELINE_WIDTH = 1280;
/** Left edge of the plot (lane names sit left of it). */
export const PLOT_LEFT = 176;
/** Right edge of the plot. */
export const PLOT_RIGHT = TIMELINE_WIDTH - 28;

/** Colours, dark theme. */
export const COLORS = {
  background: '#0f1317',
  laneA: '#161b21',
  laneB: '#1b2129',
  grid: '#2b333d',
  text: '#e8eaed',
  dim: '#9aa5b1',
  pulseOff: '#262d36',
  trigger: '#ff5a52',
  stop: '#8d99a6',
  preRoll: '#c62828',
  recording: '#e53935',
  marker: '#ffffff',
  held: '#26a69a',
  bytes: '#ffb300',
  keyframe: '#64b5f6',
  gop: '#64b5f6',
} as const;

/** Fill of each device mode. */
export const MODE_COLORS: Readonly<Record<string, string>> = {
  off: '#3b4148',
  booting: '#b58900',
  standby: '#2e7d32',
  recording: '#c62828',
  stopping: '#ef6c00',
  docked: '#1565c0',
  fault: '#8e24aa',
};

/** LED colours as lit. */
export const LED_COLORS: Readonly<Record<string, string>> = {
  red: '#ff3b30', green: '#34c759', amber: '#ffb300', blue: '#0a84ff', off: '#262d36',
};

/** Button press colours. */
export const BUTTON_COLORS: Readonly<Record<string, string>> = {
  record: '#ef5350', power: '#ffca28', mute: '#42a5f5', stream: '#ab47bc',
};

/** Gesture marks: colour and short label. */
export const GESTURE_STYLE: Readonly<Record<string, { readonly color: string; readonly label: string }>> = {
  'record-press': { color: '#ff5a52', label: 'rec' },
  'record-double-press': { color: '#ff5a52', label: 'rec x2' },
  'record-hold': { color: '#ff9800', label: 'hold' },
  marker: { color: '#ffffff', label: 'marker' },
  'power-hold': { color: '#ffca28', label: 'power' },
  'mute-toggle': { color: '#42a5f5', label: 'mute' },
  'stealth-hold': { color: '#9575cd', label: 'stealth' },
  'stream-press': { color: '#ab47bc', label: 'stream' },
  bounce: { color: '#6b7785', label: 'bounce' },
};

/** Incident marks. */
export const INCIDENT_COLORS: Readonly<Record<string, string>> = {
  fault: '#ff1744', drop: '#ff9100', storage: '#b388ff', battery: '#ffd740', power: '#ffffff', dock: '#40c4ff', signal: '#18ffff',
};

/** Maps fixture time to x within the plot. */
export interface TimeScale {
  readonly x: (us: number) => number;
  /** Microseconds per pixel. */
  readonly usPerPx: number;
}

/** The time scale for a run of `endUs`. */
export function timeScale(endUs: number): TimeScale {
  const spanUs = Math.max(endUs, 1_000_000);
  const width = PLOT_RIGHT - PLOT_LEFT;
  return {
    x: (us: number) => Math.round((PLOT_LEFT + (Math.min(Math.max(us, 0), spanUs) / spanUs) * width) * 10) / 10,
    usPerPx: spanUs / width,
  };
}

/** Tick spacing (µs) so that ticks are at least `minPx` apart. */
export function tickStepUs(usPerPx: number, minPx = 72): number {
  const steps = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 43_200, 86_400];
  for (const seconds of steps) if ((seconds * 1_000_000) / usPerPx >= minPx) return seconds * 1_000_000;
  return 86_400 * 1_000_000 * Math.ceil((minPx * usPerPx) / 86_400_000_000);
}

/** A tick label: `45s`, `1.5s`, or `1:30` / `1:02:30` for long runs. */
export function tickLabel(us: number, stepUs: number, endUs: number): string {
  if (stepUs < 1_000_000) return `${(us / 1_000_000).toFixed(1)}s`;
  const totalSeconds = Math.round(us / 1_000_000);
  if (endUs < 600_000_000) return `${totalSeconds}s`;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = String(totalSeconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}
