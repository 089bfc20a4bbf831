// The run marker in request bodies: every value the suite stamps starts with `conformance-<run id>`, so a
// customer of the run can be found by marker. Keeping the marker in a body a row under test changed, and
// reading which marker field of a body carries it.
import { field as fieldRule } from '../../fixtures/contract/fields.ts';
import { markerFields, type Config } from '../config/config.ts';
import { at } from './json-path.ts';
import { isBytes, isRaw } from './request-body.ts';

type Obj = Record<string, unknown>;

/** The run marker at the start of every value the suite stamps (`conformance-<run id>`). */
export const MARKER_RE = /^conformance-[0-9a-f]{8}\b/;

/**
 * A body whose marker field no longer carries the run marker (the row under test removed or replaced it)
 * gets the marker in the second marker field, in place, so the customer stays findable by marker.
 */
export function markBody<T>(body: T, marker: string | undefined, cfg: Config): T {
  if (!marker || body === null || typeof body !== 'object' || Array.isArray(body) || isRaw(body) || isBytes(body))
    return body;
  const [field, fallback] = markerFields(cfg);
  const carries = (f: string) => String(at(body, f) ?? '').startsWith(marker);
  if (carries(field) || carries(fallback)) return body;
  const [group, name] = fallback.split('.') as [string, string];
  const obj = body as Obj;
  const g = obj[group];
  const target = g !== null && typeof g === 'object' && !Array.isArray(g) ? (g as Obj) : (obj[group] = {});
  const current = typeof target[name] === 'string' ? ` ${target[name] as string}` : '';
  // up to one below the field's maximum, as the factory stamps the first marker field
  target[name] = `${marker}${current}`.slice(0, (fieldRule(fallback).maxLength ?? 40) - 1).trim();
  return body;
}

/**
 * The marker a body carries: the marker field that holds it (the second one when a row replaced the first),
 * that field's value and the run marker it starts with. Undefined when the body carries none.
 */
export function bodyMarker(body: unknown, cfg: Config): { field: string; value: string; marker: string } | undefined {
  let parsed: unknown = body;
  if (isRaw(body)) {
    try {
      parsed = JSON.parse(body.raw);
    } catch {
      return undefined;
    }
  }
  const field = markerFields(cfg).find((f) => MARKER_RE.test(String(at(parsed, f) ?? '')));
  const value = field === undefined ? undefined : (at(parsed, field) as string);
  const marker = value === undefined ? undefined : MARKER_RE.exec(value)?.[0];
  if (!field || !marker) return undefined;
  return { field, value: value!, marker };
}
