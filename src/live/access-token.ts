/**
 * The live server's access token (contract §7): given with `--token` or drawn at random, and
 * checked on every request, from `Authorization: Bearer TOKEN` or `?token=TOKEN`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { assertArgument } from '../errors/index.js';

/** What a token may hold: URL-safe characters, so it can go in `?token=` unescaped. */
export const TOKEN_PATTERN = /^[A-Za-z0-9._~-]{8,256}$/;

/** A random token: 24 bytes from node:crypto, base64url (32 characters). */
export function randomToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Throws a usage error unless `token` is 8 to 256 URL-safe characters. */
export function assertToken(token: string): void {
  assertArgument(TOKEN_PATTERN.test(token), '--token', '8 to 256 characters from A-Z a-z 0-9 . _ ~ -', token);
}

/** The token a request carries (Authorization: Bearer, else ?token=), or null. */
export function requestToken(request: IncomingMessage, url: URL): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1] ?? null;
  }
  return url.searchParams.get('token');
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** True when `given` is the token; compares in constant time (over digests, so lengths leak nothing). */
export function tokenMatches(given: string | null, token: string): boolean {
  if (given === null) return false;
  return timingSafeEqual(digest(given), digest(token));
}
