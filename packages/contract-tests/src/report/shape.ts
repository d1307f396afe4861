/** The JSON type of a value: one of JSON's six. */
export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

/**
 * A JSON document's structure without its values: each path (`access_token`,
 * `entry[].resource.code.coding[].system`) mapped to the JSON types seen there, joined by `|`
 * when an array's elements disagree. Keys are sorted, so equal structures serialise equally.
 */
export type JsonShape = Record<string, string>;

/** The JSON type of one value. */
export function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    default:
      return 'object';
  }
}

function collect(value: unknown, path: string, into: Map<string, Set<string>>): void {
  if (path !== '') {
    const types = into.get(path) ?? new Set<string>();
    types.add(jsonType(value));
    into.set(path, types);
  }
  if (Array.isArray(value)) {
    for (const element of value) collect(element, `${path}[]`, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      collect(child, path === '' ? key : `${path}.${key}`, into);
    }
  }
}

/** The shape of a JSON document: every path and its types, arrays summarised as `[]`. */
export function jsonShape(value: unknown): JsonShape {
  const paths = new Map<string, Set<string>>();
  collect(value, '', paths);
  const shape: JsonShape = {};
  for (const path of [...paths.keys()].sort()) {
    shape[path] = [...(paths.get(path) ?? [])].sort().join('|');
  }
  return shape;
}
