/**
 * `bodycam-sim/vitest`: custom vitest matchers over a finished simulation. Importing this module
 * registers them with vitest's `expect` and adds their types to vitest's `Assertion`:
 *
 * ```ts
 * import 'bodycam-sim/vitest';
 * import { simulate } from 'bodycam-sim';
 * const run = await simulate({ scenario: 'my-scenario.json' }).done;
 * expect(run).toHavePreRoll(30, { tolerance: 0.034 });
 * expect(run).toShowLed('record', 'red', { at: 45.1 });
 * ```
 */
import { expect } from 'vitest';
import { BODYCAM_MATCHER_NAMES, type BodycamMatchers, type MatcherResult, bodycamMatcher } from '../check/index.js';

export type { BodycamMatchers, LedWhen, RecordingOption, ToleranceOption, MatcherResult, DeviceOption, DevicesWhich, DevicesStartedOptions } from '../check/index.js';

/** The matchers in the form `expect.extend` takes. */
export const bodycamMatchers: Record<keyof BodycamMatchers, (this: { isNot?: boolean }, received: unknown, ...args: unknown[]) => MatcherResult> =
  Object.fromEntries(BODYCAM_MATCHER_NAMES.map((name) => {
    const match = bodycamMatcher(name);
    return [name, function matcher(this: { isNot?: boolean }, received: unknown, ...args: unknown[]): MatcherResult {
      return match(received, args, this.isNot === true);
    }];
  })) as Record<keyof BodycamMatchers, (this: { isNot?: boolean }, received: unknown, ...args: unknown[]) => MatcherResult>;

expect.extend(bodycamMatchers);

declare module 'vitest' {
  interface Assertion<T = any> extends BodycamMatchers<void> {}
  interface AsymmetricMatchersContaining extends BodycamMatchers<void> {}
}
