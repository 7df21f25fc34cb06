/**
 * Postgres stores no NUL character (U+0000) in text or jsonb: a string carrying one failed the whole request
 * with a 500 at the insert. JSON can carry it (`"\u0000"`), so every parsed `/api` body is checked once, here,
 * and such a request is a 422 naming each field, like any other invalid value.
 */
import type { RequestHandler } from 'express';
import { HttpError, type FieldError } from './errors.ts';

const NUL = '\u0000';
const MAX_REPORTED = 20;

function findNul(value: unknown, path: string, found: FieldError[]): void {
  if (found.length >= MAX_REPORTED) return;
  if (typeof value === 'string') {
    if (value.includes(NUL)) found.push({ path, message: 'must not contain the NUL character (\\u0000)' });
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes(NUL)) found.push({ path: `${path}.${key.replaceAll(NUL, '\\u0000')}`, message: 'a field name must not contain the NUL character (\\u0000)' });
    findNul(inner, `${path}.${key.replaceAll(NUL, '\\u0000')}`, found);
  }
}

export const refuseNulCharacters: RequestHandler = (req, _res, next) => {
  const found: FieldError[] = [];
  findNul(req.body, 'body', found);
  if (found.length > 0) throw new HttpError(422, 'validation_failed', `Invalid body: ${found.map((f) => `${f.path}: ${f.message}`).join('; ')}`, found);
  next();
};
