/**
 * NextGen's developer guide's test client and test patients, for every package's tests. The
 * mock's config (`YOUR_HEALTH_FILE_CLIENT`) and the contract targets (`GUIDE_TEST_CLIENT`) keep
 * their own copies: production code never imports a test module.
 */

/** The guide's confidential client, in the auth core's `ClientConfig` shape. */
export const GUIDE_CLIENT = {
  clientId: 'yourHealthFile',
  clientSecret: 'P2uCnXestgMxmlWnIUxNDO8u98qPa4NZ',
  redirectUri: 'https://oauth.pstmn.io/v1/callback',
} as const;

/** The guide's test logins, with the patient each one owns and the Person it signs in as. */
export const GUIDE_USERS = {
  /** David Smith; his son Alex is his dependent. */
  david: {
    username: 'DavidFHIR',
    password: 'password',
    patientId: '428946492',
    personId: '4007449',
  },
  anna: {
    username: 'AnnaFHIR',
    password: 'Password01',
    patientId: '428946523',
    personId: '4007450',
  },
  alex: {
    username: 'AlexSmithFhir',
    password: 'Password01',
    patientId: '429119572',
    personId: '4007451',
  },
} as const;

/** One of {@link GUIDE_USERS}. */
export type GuideUser = (typeof GUIDE_USERS)[keyof typeof GUIDE_USERS];

/** What a guide user types into the login form. */
export function loginOf(user: GuideUser): { username: string; password: string } {
  return { username: user.username, password: user.password };
}
