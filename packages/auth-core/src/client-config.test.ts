import { describe, expect, test } from 'vitest';
import { basicAuthorization } from './client-config.js';

describe('basicAuthorization', () => {
  test("encodes NextGen's test client as Basic base64(id:secret)", () => {
    expect(basicAuthorization('yourHealthFile', 'P2uCnXestgMxmlWnIUxNDO8u98qPa4NZ')).toBe(
      `Basic ${btoa('yourHealthFile:P2uCnXestgMxmlWnIUxNDO8u98qPa4NZ')}`,
    );
  });

  test('form-urlencodes the id and secret before joining them (RFC 6749 §2.3.1)', () => {
    expect(basicAuthorization('my app', 'a:b/é')).toBe(`Basic ${btoa('my+app:a%3Ab%2F%C3%A9')}`);
  });
});
