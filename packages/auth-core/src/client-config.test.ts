import { describe, expect, test } from 'vitest';
import { GUIDE_CLIENT } from '../../../test-support/guide.js';
import { basicAuthorization } from './client-config.js';

describe('basicAuthorization', () => {
  test("encodes NextGen's test client as Basic base64(id:secret)", () => {
    const { clientId, clientSecret } = GUIDE_CLIENT;
    expect(basicAuthorization(clientId, clientSecret)).toBe(
      `Basic ${btoa(`${clientId}:${clientSecret}`)}`,
    );
  });

  test('form-urlencodes the id and secret before joining them (RFC 6749 §2.3.1)', () => {
    expect(basicAuthorization('my app', 'a:b/é')).toBe(`Basic ${btoa('my+app:a%3Ab%2F%C3%A9')}`);
  });
});
