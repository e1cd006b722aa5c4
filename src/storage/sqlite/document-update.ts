import type { FieldValue, Scalar, Update } from '../../ports/read-store.js';

export type Fields = Record<string, FieldValue | undefined>;

/**
 * Applies $set, $inc, $max and $min to a document's fields, in place, as
 * MongoDB does: dotted paths reach into nested objects and make missing
 * parents, and a missing field takes the operand. The caller owns the
 * fields (freshly parsed), so nothing is copied on this hot path.
 */
export function applyUpdateInPlace(fields: Fields, update: Update): void {
  const { $set, $inc, $max, $min } = update;

  for (const path in $set) setPath(fields, path, $set[path]!);
  for (const path in $inc) {
    const current = getPath(fields, path);
    const delta = $inc[path]!;
    setPath(fields, path, (typeof current === 'number' ? current : 0) + delta);
  }
  for (const path in $max) {
    keepIf(fields, path, $max[path]!, (current, given) => given > current);
  }
  for (const path in $min) {
    keepIf(fields, path, $min[path]!, (current, given) => given < current);
  }
}

function keepIf(
  doc: Fields,
  path: string,
  value: Scalar,
  replaces: (
    current: NonNullable<Scalar>,
    given: NonNullable<Scalar>,
  ) => boolean,
): void {
  const current = getPath(doc, path);
  const comparable =
    current !== undefined &&
    current !== null &&
    value !== null &&
    typeof current === typeof value;

  if (
    current === undefined ||
    (comparable &&
      replaces(current as NonNullable<Scalar>, value as NonNullable<Scalar>))
  ) {
    setPath(doc, path, value);
  }
}

function getPath(doc: Fields, path: string): FieldValue | undefined {
  if (!path.includes('.')) return doc[path];

  let node: FieldValue | undefined = doc as FieldValue;
  for (const key of path.split('.')) {
    if (!isObject(node)) return undefined;
    node = node[key];
  }

  return node;
}

function setPath(doc: Fields, path: string, value: FieldValue): void {
  if (!path.includes('.')) {
    doc[path] = value;
    return;
  }

  const keys = path.split('.');
  const last = keys.pop()!;
  let node = doc;

  for (const key of keys) {
    const child = node[key];
    if (!isObject(child)) node[key] = {};
    node = node[key] as Fields;
  }
  node[last] = value;
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
