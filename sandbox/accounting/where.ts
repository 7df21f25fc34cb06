/**
 * Xero's `where` filter: a small LINQ-like language, e.g.
 *   Status=="AUTHORISED" AND Contact.ContactID==Guid("...") AND Date>=DateTime(2024, 01, 31)
 *   Name.StartsWith("Acme") OR EmailAddress.Contains("@example.com")
 * xero-node sends spaces as `+`, which the query-string parser has already turned back into spaces.
 * An unknown field or bad syntax is a 400 QueryParseException, as in Xero.
 */
import { queryParseException } from './errors.ts';

export type FieldValue = string | number | boolean | null | undefined;
/** Field name (lower-case, dotted) to a function reading it from a record. */
export type FieldMap<T> = Record<string, (record: T) => FieldValue>;

type Token =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'ident'; value: string }
  | { kind: 'op'; value: string }
  | { kind: 'punct'; value: '(' | ')' | ',' | '.' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"') {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j];
        j++;
      }
      if (j >= text.length) throw queryParseException('Unterminated string literal');
      tokens.push({ kind: 'string', value });
      i = j + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (['==', '!=', '<>', '<=', '>=', '&&', '||'].includes(two)) { tokens.push({ kind: 'op', value: two }); i += 2; continue; }
    if ('=<>!'.includes(c)) { tokens.push({ kind: 'op', value: c }); i++; continue; }
    if ('(),.'.includes(c)) { tokens.push({ kind: 'punct', value: c as '(' | ')' | ',' | '.' }); i++; continue; }
    const num = /^-?\d+(\.\d+)?/.exec(text.slice(i));
    if (num) { tokens.push({ kind: 'number', value: Number(num[0]) }); i += num[0].length; continue; }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (ident) { tokens.push({ kind: 'ident', value: ident[0] }); i += ident[0].length; continue; }
    throw queryParseException(`Syntax error '${c}'`);
  }
  return tokens;
}

type Node =
  | { t: 'and' | 'or'; a: Node; b: Node }
  | { t: 'not'; a: Node }
  | { t: 'cmp'; op: string; a: Node; b: Node }
  | { t: 'field'; path: string; methods: Array<{ name: string; args: Node[] }> }
  | { t: 'lit'; value: FieldValue };

class Parser {
  #i = 0;
  constructor(private readonly tokens: Token[], private readonly typeName: string, private readonly fields: Set<string>) {}

  parse(): Node {
    const node = this.or();
    if (this.#i < this.tokens.length) throw queryParseException(`Syntax error near '${this.describe(this.tokens[this.#i]!)}'`);
    return node;
  }

  private describe(t: Token): string { return String(t.value); }
  private peek(): Token | undefined { return this.tokens[this.#i]; }
  private next(): Token {
    const t = this.tokens[this.#i++];
    if (!t) throw queryParseException('Expression expected');
    return t;
  }
  private isWord(word: string): boolean {
    const t = this.peek();
    return t?.kind === 'ident' && t.value.toUpperCase() === word;
  }
  private isOp(...ops: string[]): boolean {
    const t = this.peek();
    return t?.kind === 'op' && ops.includes(t.value);
  }
  private expectPunct(p: string): void {
    const t = this.next();
    if (t.kind !== 'punct' || t.value !== p) throw queryParseException(`'${p}' expected`);
  }

  private or(): Node {
    let node = this.and();
    while (this.isWord('OR') || this.isOp('||')) { this.next(); node = { t: 'or', a: node, b: this.and() }; }
    return node;
  }
  private and(): Node {
    let node = this.unary();
    while (this.isWord('AND') || this.isOp('&&')) { this.next(); node = { t: 'and', a: node, b: this.unary() }; }
    return node;
  }
  private unary(): Node {
    if (this.isWord('NOT') || this.isOp('!')) { this.next(); return { t: 'not', a: this.unary() }; }
    return this.comparison();
  }
  private comparison(): Node {
    const left = this.operand();
    if (this.isOp('==', '=', '!=', '<>', '<', '<=', '>', '>=')) {
      const op = this.next().value as string;
      return { t: 'cmp', op: op === '=' ? '==' : op === '<>' ? '!=' : op, a: left, b: this.operand() };
    }
    return left;
  }
  private operand(): Node {
    const t = this.next();
    if (t.kind === 'punct' && t.value === '(') { const inner = this.or(); this.expectPunct(')'); return inner; }
    if (t.kind === 'string') return { t: 'lit', value: t.value };
    if (t.kind === 'number') return { t: 'lit', value: t.value };
    if (t.kind !== 'ident') throw queryParseException(`Syntax error near '${t.value}'`);
    const word = t.value;
    const upper = word.toUpperCase();
    if (upper === 'TRUE' || upper === 'FALSE') return { t: 'lit', value: upper === 'TRUE' };
    if (upper === 'NULL') return { t: 'lit', value: null };
    if (upper === 'GUID' && this.peek()?.kind === 'punct' && this.peek()!.value === '(') {
      this.expectPunct('(');
      const s = this.next();
      if (s.kind !== 'string') throw queryParseException('Guid() takes a string');
      this.expectPunct(')');
      return { t: 'lit', value: s.value.toLowerCase() };
    }
    if (upper === 'DATETIME') return { t: 'lit', value: this.dateTime() };
    // A field path, possibly followed by method calls: Name.ToLower().StartsWith("a")
    let path = word;
    const methods: Array<{ name: string; args: Node[] }> = [];
    while (this.peek()?.kind === 'punct' && this.peek()!.value === '.') {
      this.next();
      const part = this.next();
      if (part.kind !== 'ident') throw queryParseException('Identifier expected');
      if (this.peek()?.kind === 'punct' && this.peek()!.value === '(') {
        this.next();
        const args: Node[] = [];
        while (!(this.peek()?.kind === 'punct' && this.peek()!.value === ')')) {
          args.push(this.or());
          if (this.peek()?.kind === 'punct' && this.peek()!.value === ',') this.next();
        }
        this.expectPunct(')');
        methods.push({ name: part.value.toLowerCase(), args });
      } else if (methods.length === 0) {
        path += `.${part.value}`;
      } else {
        throw queryParseException(`No property or field '${part.value}' exists`);
      }
    }
    const key = path.toLowerCase();
    if (!this.fields.has(key)) throw queryParseException(`No property or field '${path}' exists in type '${this.typeName}'`);
    for (const m of methods) {
      if (!['tolower', 'toupper', 'startswith', 'endswith', 'contains'].includes(m.name)) {
        throw queryParseException(`No applicable method '${m.name}' exists in type 'String'`);
      }
    }
    return { t: 'field', path: key, methods };
  }
  /** DateTime(2024, 01, 31) or DateTime(2024,01,31,13,30,00): UTC. */
  private dateTime(): number {
    this.expectPunct('(');
    const parts: number[] = [];
    while (!(this.peek()?.kind === 'punct' && this.peek()!.value === ')')) {
      const n = this.next();
      if (n.kind !== 'number') throw queryParseException('DateTime() takes numbers');
      parts.push(n.value);
      if (this.peek()?.kind === 'punct' && this.peek()!.value === ',') this.next();
    }
    this.expectPunct(')');
    if (parts.length < 3) throw queryParseException('DateTime() needs year, month and day');
    const [y, mo, d, h = 0, mi = 0, s = 0] = parts as [number, number, number, number?, number?, number?];
    return Date.UTC(y, mo - 1, d, h, mi, s);
  }
}

function evaluate<T>(node: Node, record: T, fields: FieldMap<T>): FieldValue {
  switch (node.t) {
    case 'and': return Boolean(evaluate(node.a, record, fields)) && Boolean(evaluate(node.b, record, fields));
    case 'or': return Boolean(evaluate(node.a, record, fields)) || Boolean(evaluate(node.b, record, fields));
    case 'not': return !evaluate(node.a, record, fields);
    case 'lit': return node.value;
    case 'field': {
      let value: FieldValue = fields[node.path]!(record);
      for (const m of node.methods) {
        const text = value == null ? '' : String(value);
        const arg = m.args[0] ? String(evaluate(m.args[0], record, fields) ?? '') : '';
        if (m.name === 'tolower') value = text.toLowerCase();
        else if (m.name === 'toupper') value = text.toUpperCase();
        else if (m.name === 'startswith') value = text.startsWith(arg);
        else if (m.name === 'endswith') value = text.endsWith(arg);
        else value = text.includes(arg);
      }
      return value;
    }
    case 'cmp': {
      const a = evaluate(node.a, record, fields);
      const b = evaluate(node.b, record, fields);
      return compare(node.op, a, b);
    }
  }
}

function compare(op: string, a: FieldValue, b: FieldValue): boolean {
  if (op === '==') return normalise(a) === normalise(b);
  if (op === '!=') return normalise(a) !== normalise(b);
  if (a == null || b == null) return false;
  const x = typeof a === 'number' ? a : typeof b === 'number' ? Number(a) : String(a);
  const y = typeof b === 'number' ? b : typeof a === 'number' ? Number(b) : String(b);
  if (op === '<') return x < y;
  if (op === '<=') return x <= y;
  if (op === '>') return x > y;
  return x >= y;
}

function normalise(v: FieldValue): FieldValue {
  // Guids compare without regard to case; missing values equal null.
  if (typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) return v.toLowerCase();
  return v === undefined ? null : v;
}

/** Compiles a where clause for a resource type; returns a predicate. */
export function compileWhere<T>(where: string, typeName: string, fields: FieldMap<T>): (record: T) => boolean {
  const node = new Parser(tokenize(where), typeName, new Set(Object.keys(fields))).parse();
  return (record) => Boolean(evaluate(node, record, fields));
}
