import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { RESOURCE_DEFINITIONS } from './search-parameters.js';

interface CapabilityResource {
  type: string;
  interaction: { code: string }[];
  searchParam?: { name: string }[];
}

const captured = JSON.parse(
  readFileSync(
    new URL('../../spec/nextgen-office-r4-capabilitystatement.json', import.meta.url),
    'utf8',
  ),
) as { rest: [{ resource: CapabilityResource[] }] };
const resources = captured.rest[0].resource;

// The Swagger file's search routes and the `required: true` query parameters they reference,
// read with a line scanner: the shapes are regular and the test needs no YAML dependency.
function swaggerRequired(): Set<string> {
  const yaml = readFileSync(
    new URL('../../spec/nextgen-office-fhir-r4-openapi.yaml', import.meta.url),
    'utf8',
  );
  const lines = yaml.split(/\r?\n/);
  const definitions = new Map<string, { name: string; required: boolean; query: boolean }>();
  const start = lines.indexOf('parameters:');
  let current: string | undefined;
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    const key = /^ {2}(\w+):\s*$/.exec(line)?.[1];
    if (key) {
      current = key;
      definitions.set(key, { name: '', required: false, query: false });
      continue;
    }
    const definition = current === undefined ? undefined : definitions.get(current);
    if (!definition) continue;
    const name = /^ {4}name:\s*"?(\w+)"?/.exec(line)?.[1];
    if (name) definition.name = name;
    if (/^ {4}required:\s*true/.test(line)) definition.required = true;
    if (/^ {4}in:\s*"?query"?/.test(line)) definition.query = true;
  }
  const required = new Set<string>();
  let type: string | undefined;
  for (const line of lines) {
    const path = /^ {2}"\/fhir\/r4\/(\w+)":/.exec(line);
    if (path) type = path[1];
    else if (/^ {2}\S/.test(line) || /^\S/.test(line)) type = undefined;
    const ref = /\$ref: "#\/parameters\/(\w+)"/.exec(line)?.[1];
    const definition = ref === undefined ? undefined : definitions.get(ref);
    if (type && definition?.required && definition.query)
      required.add(`${type}.${definition.name}`);
  }
  return required;
}

describe('RESOURCE_DEFINITIONS', () => {
  test('offers every resource type of the captured CapabilityStatement', () => {
    for (const resource of resources) expect(RESOURCE_DEFINITIONS.has(resource.type)).toBe(true);
  });

  test('offers search exactly where the CapabilityStatement declares search-type', () => {
    for (const resource of resources) {
      const searchable = resource.interaction.some(
        (interaction) => interaction.code === 'search-type',
      );
      expect([resource.type, RESOURCE_DEFINITIONS.get(resource.type)?.searchable]).toEqual([
        resource.type,
        searchable,
      ]);
    }
  });

  test('defines every search parameter of the CapabilityStatement', () => {
    for (const resource of resources) {
      const params = RESOURCE_DEFINITIONS.get(resource.type)?.params;
      for (const param of resource.searchParam ?? []) {
        expect([resource.type, param.name, params?.has(param.name)]).toEqual([
          resource.type,
          param.name,
          true,
        ]);
      }
    }
  });

  test('requires exactly the query parameters the Swagger file marks required', () => {
    const required = new Set<string>();
    for (const definition of RESOURCE_DEFINITIONS.values()) {
      for (const param of definition.params.values())
        if (param.required) required.add(`${definition.type}.${param.name}`);
    }
    expect([...required].sort()).toEqual([...swaggerRequired()].sort());
  });
});
