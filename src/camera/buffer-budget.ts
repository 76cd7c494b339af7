/**
 * A byte budget the device cannot honour at all is refused before anything runs (issue 14): with
 * less room than {@link minimumBufferBytes}, frames after a trigger would be refused however fast
 * the card is. A budget above it is honoured: the pre-roll gives way to it (`limitedBy: "bytes"`).
 */
import { minimumBufferBytes } from '../buffer/index.js';
import type { DeviceProfile } from '../device/index.js';
import { BodycamError } from '../errors/index.js';

/** Where the budget was set, for the error line: the `--config` file when it sets the key, else the scenario. */
export interface BudgetOrigin {
  readonly configFile?: string | undefined;
  readonly configSetsBudget?: boolean | undefined;
  readonly scenarioFile?: string | null | undefined;
}

/** Throws a bad-input error (exit 2) when `profile.bufferBytes` cannot hold the device's frames. */
export function assertBufferBudget(profile: DeviceProfile, sourceSize: { readonly width: number; readonly height: number }, origin: BudgetOrigin = {}): void {
  const width = profile.video.width ?? sourceSize.width;
  const height = profile.video.height ?? sourceSize.height;
  const minimum = minimumBufferBytes(width, height);
  if (profile.bufferBytes >= minimum) return;
  const fromConfig = origin.configSetsBudget === true && origin.configFile !== undefined;
  const file = fromConfig ? origin.configFile : (origin.scenarioFile ?? undefined);
  throw BodycamError.badInput(
    { ...(file === undefined ? {} : { file }), place: fromConfig ? 'bufferBytes' : 'device.bufferBytes' },
    `at least ${minimum} bytes for ${width}x${height} video (three frames at one byte per pixel: the frame being written, the next one, and the arena's wrap)`,
    String(profile.bufferBytes),
  );
}
