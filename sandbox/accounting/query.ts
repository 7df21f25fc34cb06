/**
 * The common parts of Xero's list endpoints: `page`/`pageSize` paging, `IDs`-style lists,
 * `If-Modified-Since`, `where` and `order`. Query parameter names are matched without regard to case,
 * as Xero does.
 */
import type { Request } from 'express';
import { parseInstant } from '../xero-dates.ts';
import { queryParseException } from './errors.ts';
import { compileWhere, type FieldMap } from './where.ts';

/** One query parameter, case-insensitively; a repeated parameter keeps its last value. */
export function queryParam(req: Request, name: string): string | undefined {
  const query = req.query as Record<string, unknown>;
  const key = Object.keys(query).find((k) => k.toLowerCase() === name.toLowerCase());
  if (key === undefined) return undefined;
  const value = query[key];
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof last === 'string' ? last : undefined;
}

export function queryFlag(req: Request, name: string): boolean | undefined {
  const value = queryParam(req, name);
  if (value === undefined || value === '') return undefined;
  return value.toLowerCase() === 'true';
}

/** A comma-separated list parameter (xero-node sends IDs comma-joined and unencoded). */
export function queryList(req: Request, name: string): string[] | undefined {
  const value = queryParam(req, name);
  if (value === undefined || value.trim() === '') return undefined;
  return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

export interface Pagination {
  page: number;
  pageSize: number;
  pageCount: number;
  itemCount: number;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export function readPage(req: Request): { page: number; pageSize: number } | undefined {
  const raw = queryParam(req, 'page');
  if (raw === undefined || raw === '') return undefined;
  const page = Math.max(1, Number.parseInt(raw, 10) || 1);
  const sizeRaw = Number.parseInt(queryParam(req, 'pageSize') ?? '', 10);
  // Xero caps pageSize at 1,000; a missing or silly value means the default of 100.
  const pageSize = Number.isFinite(sizeRaw) && sizeRaw > 0 ? Math.min(sizeRaw, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  return { page, pageSize };
}

export function paginate<T>(items: T[], paging: { page: number; pageSize: number }): { items: T[]; pagination: Pagination } {
  const start = (paging.page - 1) * paging.pageSize;
  return {
    items: items.slice(start, start + paging.pageSize),
    pagination: {
      page: paging.page,
      pageSize: paging.pageSize,
      pageCount: Math.ceil(items.length / paging.pageSize),
      itemCount: items.length,
    },
  };
}

/** Records changed strictly after the `If-Modified-Since` instant (an unreadable header is ignored). */
export function modifiedSince<T>(req: Request, items: T[], updatedAt: (r: T) => number): T[] {
  const since = parseInstant(req.get('If-Modified-Since'));
  return since === undefined ? items : items.filter((r) => updatedAt(r) > since);
}

export function applyWhere<T>(req: Request, items: T[], typeName: string, fields: FieldMap<T>): T[] {
  const where = queryParam(req, 'where');
  if (where === undefined || where.trim() === '') return items;
  const predicate = compileWhere(where, typeName, fields);
  return items.filter(predicate);
}

/** `order=Name ASC, UpdatedDateUTC DESC` over the same fields `where` knows. */
export function applyOrder<T>(req: Request, items: T[], typeName: string, fields: FieldMap<T>): T[] {
  const order = queryParam(req, 'order');
  if (order === undefined || order.trim() === '') return items;
  const keys = order.split(',').map((part) => {
    const [field = '', dir = 'ASC'] = part.trim().split(/\s+/);
    const read = fields[field.toLowerCase()];
    if (!read) throw queryParseException(`No property or field '${field}' exists in type '${typeName}'`);
    if (!['ASC', 'DESC'].includes(dir.toUpperCase())) throw queryParseException(`Syntax error near '${dir}'`);
    return { read, sign: dir.toUpperCase() === 'DESC' ? -1 : 1 };
  });
  return [...items].sort((a, b) => {
    for (const { read, sign } of keys) {
      const x = read(a) ?? '';
      const y = read(b) ?? '';
      if (x < y) return -sign;
      if (x > y) return sign;
    }
    return 0;
  });
}
