/**
 * The library API: `simulate()` (events as Observables and arrays). The vitest matchers are the
 * separate entry `bodycam-sim/vitest` (src/api/vitest.ts), so that the main entry never loads vitest.
 */
export { simulate } from './simulate.js';
export type { SimulateOptions, Simulation, SimulationResult } from './simulate.js';
