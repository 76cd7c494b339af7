/** The I/O edge for reading inputs: open once, check the descriptor, read bounded. */
export {
  OUTSIDE_FIXTURE_OPT_IN, checkContainment, closeInput, describeFileKind, describeFsError, isInside, kindAtPath, openInput, readInputFileSync, realRootOf,
  readOpenInput, shortQuote,
} from './input-file.js';
export type { Containment, InputExpectation, OpenInput, ReadTarget } from './input-file.js';
