export { importFixture } from './fixture-import.js';
export type { ImportOptions, ImportResult } from './fixture-import.js';
export { probeVideo } from './probe.js';
export type { ProbedVideo } from './probe.js';
export { requireTool, runTool } from './external-tool.js';
export type { ToolRun } from './external-tool.js';
