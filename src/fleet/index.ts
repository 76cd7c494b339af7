/**
 * A team in one scenario (contract §10): fleet scenarios with `devices`, the trigger bus between
 * the cameras of a group, and the run of every camera on one virtual clock.
 */
export type { FleetScenario, FleetDeviceSpec, TriggerBusSettings, FleetDeviceOutcome, FleetRunResult, FleetEventListener } from './fleet-types.js';
export { parseFleetScenario, isFleetScenarioDocument, DEFAULT_BUS_LATENCY_MS, MAX_FLEET_DEVICES, MAX_CLOCK_OFFSET_MS } from './fleet-scenario.js';
export { loadAnyScenario, loadFleetScenario, parseAnyScenario, isFleetScenario } from './load-fleet-scenario.js';
export type { AnyScenario } from './load-fleet-scenario.js';
export { planTriggerBus, receiversOf, cancelOf, cancelLog, busLogOf, arrivesTooLate } from './trigger-bus.js';
export type { BusPlan, CancelDelivery } from './trigger-bus.js';
export { prepareFleet } from './prepare-fleet.js';
export type { PrepareFleetOptions, PreparedFleet, PreparedFleetCamera } from './prepare-fleet.js';
export { runFleet, runFleetPart } from './run-fleet.js';
export { beginTeamRun, deviceOutDir, finishTeamRun } from './team-output.js';
export type { FleetPart } from './team-output.js';
export type { RunFleetOptions } from './run-fleet.js';
