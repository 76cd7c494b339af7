/** Output folders of a batch: file names, widened by the parent folder where they collide, then numbered. */
import { describe, expect, it } from 'vitest';
import { outputNames } from '../../src/parallel/index.js';

describe('outputNames', () => {
  it('uses the scenario name without .json', () => {
    expect(outputNames(['a/night.json', 'b/rain.json', 'day'])).toEqual(['night', 'rain', 'day']);
  });

  it('puts the parent folder in front of names that collide, then numbers what still collides', () => {
    expect(outputNames(['fixtures/street/scenario.json', 'fixtures/park/scenario.json', 'x/park/scenario.json', 'solo.json']))
      .toEqual(['street-scenario', 'park-scenario', 'park-scenario-2', 'solo']);
    expect(outputNames(['same.json', 'same.json'])).toEqual(['same', 'same-2']);
  });

  it('keeps names safe for a folder', () => {
    expect(outputNames(['we ird/na me?.json', '.hidden.json'])).toEqual(['na_me_', 'hidden']);
  });
});
