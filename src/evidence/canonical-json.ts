/**
 * Canonical JSON (RFC 8785, JCS): object keys sorted by UTF-16 code units, no whitespace,
 * strings and numbers as ECMAScript's JSON.stringify writes them. What we sign and hash is
 * always this form, so the pretty-printed files on disk can be read, but any change of a value
 * changes the signed bytes. Pure.
 */
import { BodycamError } from '../errors/index.js';

/** A JSON value. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * The canonical text of `value`. Keys whose value is `undefined` are left out (as JSON.stringify
 * does); non-finite numbers and non-JSON values throw.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw BodycamError.usage(`canonicalJson: expected a finite number, got ${value}`);
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
    }
    default:
      throw BodycamError.usage(`canonicalJson: expected a JSON value, got a ${typeof value}`);
  }
}

function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => sortedCopy(item));
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(record).filter((key) => record[key] !== undefined).sort().map((key) => [key, sortedCopy(record[key])]));
}

/**
 * The file form of the back office's signed JSON documents (export.json, audit-head.json): the
 * canonical key order (sorted, as {@link canonicalJson}), 2-space indented, trailing newline.
 * Readable, and still exactly one file text per content: verify refuses any other layout, so a
 * key-order or whitespace edit is caught even though the signature (over the canonical bytes)
 * would still hold.
 */
export function serializeSignedJson(value: unknown): string {
  return `${JSON.stringify(sortedCopy(value), null, 2)}\n`;
}
