/**
 * The I/O edge for scenario files that may be a team's: reads the JSON once and parses it as a
 * fleet scenario (with `devices`) or a single camera's.
 */
import path from 'node:path';
import { type Scenario, parseJsonText, parseScenario, readInputText } from '../fixture/index.js';
import { BodycamError } from '../errors/index.js';
import { isFleetScenarioDocument, parseFleetScenario } from './fleet-scenario.js';
import type { FleetScenario } from './fleet-types.js';

/** A parsed scenario of either kind. */
export type AnyScenario = Scenario | FleetScenario;

/** True for a fleet scenario. */
export function isFleetScenario(scenario: AnyScenario): scenario is FleetScenario {
  return 'kind' in scenario && scenario.kind === 'fleet';
}

/**
 * Parses a scenario document of either kind (a fleet has `devices`).
 * @throws BodycamError `bad-input` naming the file, the JSON path and what was expected
 */
export function parseAnyScenario(json: unknown, file: string | null, baseDir: string): AnyScenario {
  return isFleetScenarioDocument(json) ? parseFleetScenario(json, file, baseDir) : parseScenario(json, file, baseDir);
}

/** Reads and validates a scenario file of either kind; `fixture` paths are relative to its folder. */
export async function loadAnyScenario(file: string): Promise<AnyScenario> {
  const text = await readInputText(file, 'a scenario file (bodycam-scenario/1)', 16 * 1024 * 1024);
  return parseAnyScenario(parseJsonText(text, file), file, path.dirname(path.resolve(file)));
}

/**
 * Reads and validates a fleet scenario file.
 * @throws BodycamError `bad-input` when it is no scenario, or one without `devices`
 */
export async function loadFleetScenario(file: string): Promise<FleetScenario> {
  const scenario = await loadAnyScenario(file);
  if (!isFleetScenario(scenario)) throw BodycamError.badInput({ file, place: 'devices' }, 'a team scenario with a "devices" list (contract §10)', 'no devices');
  return scenario;
}
