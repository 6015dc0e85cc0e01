/**
 * A small evaluator for the expressions `view` filters are written in (expr-lang with CoreDNS's functions), enough for
 * the usual split-DNS filters: `incidr(client_ip(), '10.0.0.0/8')`, `name() matches '...'`, `type() in ['A','AAAA']`,
 * comparisons, `&&`/`||`/`!` (and `and`/`or`/`not`), parentheses. A value the explainer does not know (the client's
 * address when none was given, metadata...) makes the result unknown rather than a guess.
 */
import { compileGoRegexp, ipInCidr } from "./util";

/** The request facts an expression can read. */
export type ExprRequest = {
  name: string;
  type: string;
  class: string;
  clientIp?: string;
  port?: number;
  proto: string;
};

/** The result: true, false, or unknown (with the reason). */
export type ExprResult = { value: boolean } | { unknown: string };

const UNKNOWN = Symbol("unknown");
type Value = string | number | boolean | null | Value[] | typeof UNKNOWN;

class Unsupported extends Error {}

type Tok = { kind: "str" | "num" | "ident" | "op"; text: string };

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"' || c === "`") {
      let j = i + 1;
      let s = "";
      while (j < src.length && src[j] !== c) {
        if (src[j] === "\\" && c !== "`" && j + 1 < src.length) {
          const n = src[j + 1] as string;
          s += n === "n" ? "\n" : n === "t" ? "\t" : n;
          j += 2;
          continue;
        }
        s += src[j];
        j++;
      }
      if (j >= src.length) throw new Unsupported("unterminated string");
      out.push({ kind: "str", text: s });
      i = j + 1;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9][0-9_]*(\.[0-9]+)?/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ kind: "num", text: m[0].replace(/_/g, "") });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ kind: "ident", text: m[0] });
      i += m[0].length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (["==", "!=", "<=", ">=", "&&", "||"].includes(two)) {
      out.push({ kind: "op", text: two });
      i += 2;
      continue;
    }
    if ("()[],!<>".includes(c)) {
      out.push({ kind: "op", text: c });
      i++;
      continue;
    }
    throw new Unsupported(`'${c}' is not read by the explainer`);
  }
  return out;
}

class Evaluator {
  private pos = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly req: ExprRequest,
  ) {}

  run(): Value {
    const v = this.or();
    if (this.pos < this.toks.length) throw new Unsupported(`unexpected '${this.toks[this.pos]?.text}'`);
    return v;
  }

  private peek(): Tok | undefined {
    return this.toks[this.pos];
  }

  private accept(text: string): boolean {
    const t = this.peek();
    if (t && (t.kind === "op" || t.kind === "ident") && t.text === text) {
      this.pos++;
      return true;
    }
    return false;
  }

  private expect(text: string): void {
    if (!this.accept(text)) throw new Unsupported(`expected '${text}'`);
  }

  private or(): Value {
    let left = this.and();
    while (this.accept("||") || this.accept("or")) {
      const right = this.and();
      left = logic(left, right, "or");
    }
    return left;
  }

  private and(): Value {
    let left = this.not();
    while (this.accept("&&") || this.accept("and")) {
      const right = this.not();
      left = logic(left, right, "and");
    }
    return left;
  }

  private not(): Value {
    if (this.accept("!") || this.accept("not")) {
      const v = this.not();
      if (v === UNKNOWN) return UNKNOWN;
      return !truthy(v);
    }
    return this.comparison();
  }

  private comparison(): Value {
    const left = this.primary();
    const t = this.peek();
    if (!t) return left;
    const op = t.text;
    if (["==", "!=", "<", ">", "<=", ">=", "matches", "in", "contains", "startsWith", "endsWith"].includes(op)) {
      this.pos++;
      const right = this.primary();
      if (left === UNKNOWN || right === UNKNOWN) return UNKNOWN;
      switch (op) {
        case "==":
          return equal(left, right);
        case "!=":
          return !equal(left, right);
        case "<":
          return (left as number) < (right as number);
        case ">":
          return (left as number) > (right as number);
        case "<=":
          return (left as number) <= (right as number);
        case ">=":
          return (left as number) >= (right as number);
        case "matches": {
          const re = compileGoRegexp(String(right));
          if ("error" in re) throw new Unsupported(re.error);
          return re.re.test(String(left));
        }
        case "in":
          if (!Array.isArray(right)) throw new Unsupported("'in' needs a list");
          return right.some((v) => equal(left, v));
        case "contains":
          return String(left).includes(String(right));
        case "startsWith":
          return String(left).startsWith(String(right));
        case "endsWith":
          return String(left).endsWith(String(right));
      }
    }
    return left;
  }

  private primary(): Value {
    const t = this.peek();
    if (!t) throw new Unsupported("unexpected end");
    this.pos++;
    if (t.kind === "str") return t.text;
    if (t.kind === "num") return Number(t.text);
    if (t.kind === "op" && t.text === "(") {
      const v = this.or();
      this.expect(")");
      return v;
    }
    if (t.kind === "op" && t.text === "[") {
      const items: Value[] = [];
      if (!this.accept("]")) {
        do items.push(this.or());
        while (this.accept(","));
        this.expect("]");
      }
      return items;
    }
    if (t.kind === "ident") {
      if (t.text === "true") return true;
      if (t.text === "false") return false;
      if (t.text === "nil") return null;
      if (this.accept("(")) {
        const args: Value[] = [];
        if (!this.accept(")")) {
          do args.push(this.or());
          while (this.accept(","));
          this.expect(")");
        }
        return this.call(t.text, args);
      }
    }
    throw new Unsupported(`'${t.text}' is not read by the explainer`);
  }

  private call(name: string, args: Value[]): Value {
    const r = this.req;
    switch (name) {
      case "name":
        return r.name;
      case "type":
        return r.type;
      case "class":
        return r.class;
      case "proto":
        return r.proto;
      case "client_ip":
        return r.clientIp ?? UNKNOWN;
      case "port":
        return UNKNOWN; // the client's source port
      case "server_port":
        return r.port !== undefined ? String(r.port) : UNKNOWN;
      case "incidr": {
        const [ip, cidr] = args;
        if (ip === UNKNOWN || cidr === UNKNOWN) return UNKNOWN;
        return ipInCidr(String(ip), String(cidr));
      }
      case "lower":
        return args[0] === UNKNOWN ? UNKNOWN : String(args[0]).toLowerCase();
      case "upper":
        return args[0] === UNKNOWN ? UNKNOWN : String(args[0]).toUpperCase();
      case "hasPrefix":
        return args.includes(UNKNOWN) ? UNKNOWN : String(args[0]).startsWith(String(args[1]));
      case "hasSuffix":
        return args.includes(UNKNOWN) ? UNKNOWN : String(args[0]).endsWith(String(args[1]));
      default:
        // metadata(), id(), size(), bufsize(), do(), server_ip()...: facts of the live request
        return UNKNOWN;
    }
  }
}

function truthy(v: Value): boolean {
  return v === true;
}

function equal(a: Value, b: Value): boolean {
  return a === b;
}

function logic(a: Value, b: Value, op: "and" | "or"): Value {
  if (op === "and") {
    if (a === false || b === false) return false;
    if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
    return truthy(a) && truthy(b);
  }
  if (a === true || b === true) return true;
  if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
  return false;
}

/** Evaluates one `view` expression for a request. */
export function evaluateViewExpr(source: string, req: ExprRequest): ExprResult {
  try {
    const v = new Evaluator(lex(source), req).run();
    if (v === UNKNOWN) {
      return { unknown: req.clientIp === undefined && /client_ip\(\)/.test(source) ? "it reads the client's address, which was not given" : "it reads facts of the live request (metadata, source port, message id...)" };
    }
    return { value: v === true };
  } catch (e) {
    return { unknown: e instanceof Error ? e.message : String(e) };
  }
}
