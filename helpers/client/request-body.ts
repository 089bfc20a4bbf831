// The bodies a request may carry besides an object: text sent byte for byte ({ raw }) and bytes that need
// not be valid UTF-8 ({ bytes }), and their encoding into what the HTTP layer sends.
import type { FieldMap } from './fieldmap.ts';

export const raw = (text: string) => ({ raw: text });
export const isRaw = (b: unknown): b is { raw: string } =>
  typeof b === 'object' && b !== null && 'raw' in b && Object.keys(b).length === 1;
/** A body sent byte for byte, e.g. one that is not valid UTF-8 (reports show its lossy decoding). */
export const rawBytes = (bytes: Uint8Array) => ({ bytes });
export const isBytes = (b: unknown): b is { bytes: Uint8Array } =>
  typeof b === 'object' &&
  b !== null &&
  'bytes' in b &&
  (b as { bytes: unknown }).bytes instanceof Uint8Array &&
  Object.keys(b).length === 1;

/** The request's body as text (bytes: their lossy decoding, for reports) and, for bytes, the bytes themselves. */
export function encodeBody(b: unknown, fieldMap: FieldMap): { body?: string; bodyBytes?: Uint8Array } {
  if (isBytes(b)) return { body: Buffer.from(b.bytes).toString('utf8'), bodyBytes: b.bytes };
  if (isRaw(b)) return { body: b.raw };
  if (b !== undefined) return { body: JSON.stringify(fieldMap.outgoing(b)) };
  return {};
}
