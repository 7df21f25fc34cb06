/** A zod string that must compile as a JavaScript regular expression (e.g. an email whitelist). */
import { z } from 'zod';

function compiles(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

export const regexSource = (maxLength?: number) =>
  (maxLength === undefined ? z.string() : z.string().max(maxLength)).refine(compiles, { message: 'expected a valid regular expression' });
