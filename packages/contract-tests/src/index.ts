export { BrowserSession, type BrowserResponse, type BrowserStep } from './browser-session.js';
export {
  findForm,
  formChoices,
  outlineForm,
  pageErrorMessage,
  parseHtml,
  submitForm,
  type FormChoice,
  type FormOutline,
  type FormSubmission,
  type SubmitOptions,
} from './html-form.js';
export {
  SignInError,
  signInHeadless,
  type HeadlessSignInOptions,
  type HeadlessSignInResult,
  type SignInErrorCode,
} from './sign-in.js';
export { DEFAULT_MOCK_URL, getTestTokens, type TestTokenOptions } from './test-tokens.js';
export {
  DOCUMENTED_SCOPE,
  GUIDE_DEPENDENT_PATIENT,
  GUIDE_TEST_CLIENT,
  GUIDE_TEST_USER,
  REAL_CLIENT_VARIABLES,
  REAL_TARGET_VARIABLES,
  clientFromEnv,
  missingVariables,
  mockTarget,
  realProfileFromEnv,
  realTargetFromEnv,
  targetKind,
  type ContractTarget,
} from './target.js';
export { checkRealTarget, type PreflightResult } from './real-preflight.js';
export { ReportRecorder, observeBody } from './report/recorder.js';
export {
  OBSERVED_HEADERS,
  REPORT_FORMAT,
  mergeReports,
  parseReport,
  serializeReport,
  type CheckObservation,
  type ContractReport,
  type JsonValue,
  type ObservedBody,
  type ObservedExchange,
} from './report/report.js';
export { diffReports, formatDifferences, type ReportDifference } from './report/diff.js';
export { contractDiffCommand } from './report/diff-command.js';
export { jsonShape, jsonType, type JsonShape, type JsonType } from './report/shape.js';
