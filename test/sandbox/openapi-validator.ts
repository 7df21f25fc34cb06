/** The spec validator lives in the sandbox now (it validates requests there too): re-exported for the tests. */
export { matchAccountingPath, validateAccountingParameters, validateAccountingRequest, validateAccountingResponse, type ValidationResult } from '../../sandbox/openapi-validator.ts';
