import { randomBytes } from 'node:crypto';
import { timeOrderedHex } from '../util/time-ordered-hex.ts';

/** Tells this process's ids from another instance's made in the same millisecond. */
const PROCESS_TAG = randomBytes(4).toString('hex');

/**
 * `req_` + 32 hex digits, time-ordered: the hold, the usage transaction and the usage row are all
 * keyed by the request id, and ordered keys keep each commit's index writes on a few hot pages.
 */
export function generateRequestId(): string {
  return `req_${timeOrderedHex()}${PROCESS_TAG}`;
}
