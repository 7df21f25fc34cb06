/**
 * Xero's "intent to receive" check, run against a webhook endpoint before a subscription goes live:
 * several `{"events":[],...}` payloads, some signed with the key and some not. The endpoint passes when
 * every correctly signed one gets 200 and every wrongly signed one 401, each with an empty body, no
 * cookies, within 5 seconds.
 */
import { randomBytes } from 'node:crypto';
import { RESPONSE_DEADLINE_MS, entropy, sign } from './webhooks.ts';

export interface IntentAttempt {
  signedCorrectly: boolean;
  expectedStatus: 200 | 401;
  status?: number;
  error?: string;
  bodyEmpty: boolean;
  setCookie: boolean;
  ms: number;
  pass: boolean;
}

export interface IntentResult {
  ok: boolean;
  attempts: IntentAttempt[];
}

export async function intentToReceive(url: string, key: string, rounds = 4): Promise<IntentResult> {
  const attempts: IntentAttempt[] = [];
  for (let i = 0; i < rounds; i++) {
    // Alternate good and bad signatures, starting with a bad one as Xero does not promise any order.
    const signedCorrectly = i % 2 === 1;
    const body = JSON.stringify({ events: [], firstEventSequence: 0, lastEventSequence: 0, entropy: entropy() });
    const signature = signedCorrectly ? sign(body, key) : sign(body, randomBytes(32).toString('base64'));
    const started = Date.now();
    const attempt: IntentAttempt = { signedCorrectly, expectedStatus: signedCorrectly ? 200 : 401, bodyEmpty: false, setCookie: false, ms: 0, pass: false };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-xero-signature': signature },
        body,
        signal: AbortSignal.timeout(RESPONSE_DEADLINE_MS),
      });
      const text = await response.text();
      attempt.status = response.status;
      attempt.bodyEmpty = text.length === 0;
      attempt.setCookie = response.headers.has('set-cookie');
    } catch (error) {
      attempt.error = error instanceof Error ? error.message : String(error);
    }
    attempt.ms = Date.now() - started;
    attempt.pass = attempt.status === attempt.expectedStatus && attempt.bodyEmpty && !attempt.setCookie && attempt.ms < RESPONSE_DEADLINE_MS;
    attempts.push(attempt);
  }
  return { ok: attempts.every((a) => a.pass), attempts };
}
