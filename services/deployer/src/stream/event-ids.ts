// Event ids derived from what the event is about (an RFC 9562 version-5-style uuid of a SHA-256),
// so writing the same fact twice is a duplicate the log refuses, not a second event.
import { createHash } from 'node:crypto';

export function derivedEventId(...parts: readonly (string | number)[]): string {
  const bytes = createHash('sha256').update(parts.join('\u001f')).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
