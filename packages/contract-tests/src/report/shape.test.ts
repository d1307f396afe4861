import { describe, expect, test } from 'vitest';
import { jsonShape, jsonType } from './shape.js';

describe('jsonType', () => {
  test('names the six JSON types', () => {
    expect([null, [], 'x', true, 1.5, {}].map(jsonType)).toEqual([
      'null',
      'array',
      'string',
      'boolean',
      'number',
      'object',
    ]);
  });
});

describe('jsonShape', () => {
  test('maps every path to its type without keeping values', () => {
    expect(
      jsonShape({ access_token: 'secret', expires_in: 300, need_patient_banner: 'false' }),
    ).toEqual({
      access_token: 'string',
      expires_in: 'number',
      need_patient_banner: 'string',
    });
  });

  test('summarises array elements under one [] path with the union of their types', () => {
    expect(jsonShape({ entry: [{ a: 1 }, { a: 'x', b: null }] })).toEqual({
      entry: 'array',
      'entry[]': 'object',
      'entry[].a': 'number|string',
      'entry[].b': 'null',
    });
  });

  test('sorts paths so that equal structures serialise equally', () => {
    expect(Object.keys(jsonShape({ b: 1, a: { d: 1, c: 2 } }))).toEqual(['a', 'a.c', 'a.d', 'b']);
  });
});
