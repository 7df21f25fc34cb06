/**
 * Xero's error answers. The Accounting API uses its classic shape
 * `{ErrorNumber, Type, Message, Elements}`; the gateway in front of it (auth, tenant, limits) answers
 * with RFC 7807-style problem bodies `{Title, Status, Detail, Instance}`.
 */
import { randomUUID } from 'node:crypto';

export class XeroHttpError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;

  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

export function problem(status: number, title: string, detail: string): Record<string, unknown> {
  return { Type: null, Title: title, Status: status, Detail: detail, Instance: randomUUID(), Extensions: {} };
}

/** A 400 ValidationException listing the elements that failed, each with its ValidationErrors. */
export function validationException(elements: object[]): XeroHttpError {
  return new XeroHttpError(400, {
    ErrorNumber: 10,
    Type: 'ValidationException',
    Message: 'A validation exception occurred',
    Elements: elements,
  });
}

/** Xero's answer to a body it cannot deserialise (bad JSON, a word where a number belongs). */
export function postDataInvalid(detail: string): XeroHttpError {
  return new XeroHttpError(400, { ErrorNumber: 14, Type: 'PostDataInvalidException', Message: `JSON for post data was invalid,${detail}` });
}

/** Xero's answer to a `where` or `order` it cannot parse. */
export function queryParseException(message: string): XeroHttpError {
  return new XeroHttpError(400, { ErrorNumber: 16, Type: 'QueryParseException', Message: message });
}

/** Xero answers an unknown id with a plain-text 404. */
export function notFound(): XeroHttpError {
  return new XeroHttpError(404, "The resource you're looking for cannot be found");
}

/** A single-record error that is not about one element (e.g. emailing a draft). */
export function validationMessage(message: string): XeroHttpError {
  return new XeroHttpError(400, {
    ErrorNumber: 10,
    Type: 'ValidationException',
    Message: 'A validation exception occurred',
    Elements: [{ ValidationErrors: [{ Message: message }] }],
  });
}
