export { BodycamError, exitCodeFor, isBodycamError, assertArgument, describeValue } from './bodycam-error.js';
export type { ErrorCode, ErrorLocation, BodycamErrorOptions } from './bodycam-error.js';
export { errorMessage } from './error-message.js';
