/**
 * A compact parser and type checker for expr-lang (github.com/expr-lang/expr), the expression language of the `view`
 * plugin's `expr` option and the `template` plugin's `expr`/`var` options. CoreDNS compiles those expressions at
 * startup with an environment of functions (`name()`, `incidr(ip, cidr)`...), so a syntax error, an unknown name or
 * an operator applied to clearly incompatible types stops CoreDNS from loading.
 *
 * This checker covers the language's grammar (literals, operators and their precedence, member/index/slice access,
 * calls, arrays, maps, ternaries, `??`, pipes, closures with `#`, `let`) and a conservative type inference: a type
 * error is only reported when both operand types are known (int, float, string, bool), so anything that depends on a
 * value of unknown type is accepted.
 */

export type ExprType = "int" | "float" | "string" | "bool" | "nil" | "array" | "map" | "any" | "func";

/** What an identifier in the environment is. */
export type EnvEntry = { kind: "func"; returns: ExprType } | { kind: "value"; type: ExprType };

export type ExprCheck = { ok: true; type: ExprType } | { ok: false; error: string };

/** expr-lang's built-in functions (with `type` disabled, as CoreDNS does) and what they return. */
export const EXPR_BUILTINS: Readonly<Record<string, ExprType>> = Object.freeze({
  all: "bool", none: "bool", any: "bool", one: "bool", filter: "array", map: "array", find: "any", findIndex: "int",
  findLast: "any", findLastIndex: "int", count: "int", sum: "any", groupBy: "map", sortBy: "array", reduce: "any",
  len: "int", abs: "any", ceil: "float", floor: "float", round: "float", int: "int", float: "float", string: "string",
  trim: "string", trimPrefix: "string", trimSuffix: "string", upper: "string", lower: "string", split: "array",
  splitAfter: "array", replace: "string", repeat: "string", join: "string", indexOf: "int", lastIndexOf: "int",
  hasPrefix: "bool", hasSuffix: "bool", max: "any", min: "any", mean: "float", median: "float", toJSON: "string",
  fromJSON: "any", toBase64: "string", fromBase64: "string", now: "any", duration: "any", date: "any",
  timezone: "any", first: "any", last: "any", get: "any", keys: "array", values: "array", toPairs: "array",
  fromPairs: "map", sort: "array", bitand: "int", bitor: "int", bitxor: "int", bitnand: "int", bitnot: "int",
  bitshl: "int", bitshr: "int", bitushr: "int", concat: "array", flatten: "array", uniq: "array",
});

/** Words that cannot be used as identifiers. */
const KEYWORDS = new Set([
  "true", "false", "nil", "let", "not", "and", "or", "in", "matches", "contains", "startsWith", "endsWith", "if", "else",
]);

/** The functions of CoreDNS's `expression.DefaultEnv` and what they return. */
export const COREDNS_EXPR_ENV: Readonly<Record<string, EnvEntry>> = Object.freeze({
  incidr: { kind: "func", returns: "bool" },
  metadata: { kind: "func", returns: "string" },
  type: { kind: "func", returns: "string" },
  name: { kind: "func", returns: "string" },
  class: { kind: "func", returns: "string" },
  proto: { kind: "func", returns: "string" },
  size: { kind: "func", returns: "int" },
  client_ip: { kind: "func", returns: "string" },
  port: { kind: "func", returns: "string" },
  id: { kind: "func", returns: "int" },
  opcode: { kind: "func", returns: "int" },
  do: { kind: "func", returns: "bool" },
  bufsize: { kind: "func", returns: "int" },
  server_ip: { kind: "func", returns: "string" },
  server_port: { kind: "func", returns: "string" },
});

// ---------------------------------------------------------------------------------------------------------------------
// lexer

type TokKind = "num" | "str" | "ident" | "op" | "eof";
interface Tok {
  kind: TokKind;
  value: string;
  /** For numbers: int or float. */
  numType?: "int" | "float";
  pos: number;
}

class ExprError extends Error {}

const OPERATORS = [
  "?.", "??", "...", "..", "**", "==", "!=", "<=", ">=", "&&", "||", "!", "<", ">", "+", "-", "*", "/", "%", "^", "(",
  ")", "[", "]", "{", "}", ",", ":", "?", ".", "|", ";", "=", "#",
];

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "/") {
      while (i < n && src[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "*") {
      const e = src.indexOf("*/", i + 2);
      if (e < 0) throw new ExprError("unclosed comment");
      i = e + 2;
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(src[i + 1] ?? ""))) {
      const m = /^(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*(\.(?!\.)[0-9_]*)?([eE][+-]?[0-9_]+)?|\.[0-9_]+([eE][+-]?[0-9_]+)?)/.exec(
        src.slice(i),
      );
      const text = m ? m[0] : c;
      const isFloat = /^[0-9._]*[.eE]/.test(text) && !/^0[xX]/.test(text);
      out.push({ kind: "num", value: text, numType: isFloat ? "float" : "int", pos: i });
      i += text.length;
      if (i < n && /[A-Za-z_]/.test(src[i]!)) throw new ExprError(`bad number syntax: "${text}${src[i]}"`);
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let closed = false;
      while (j < n) {
        if (src[j] === "\\") {
          j += 2;
          continue;
        }
        if (src[j] === c) {
          closed = true;
          break;
        }
        if (src[j] === "\n") break;
        j++;
      }
      if (!closed) throw new ExprError("literal not terminated");
      out.push({ kind: "str", value: src.slice(i + 1, j), pos: i });
      i = j + 1;
      continue;
    }
    if (c === "`") {
      const e = src.indexOf("`", i + 1);
      if (e < 0) throw new ExprError("literal not terminated");
      out.push({ kind: "str", value: src.slice(i + 1, e), pos: i });
      i = e + 1;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$]/.test(src[j]!)) j++;
      out.push({ kind: "ident", value: src.slice(i, j), pos: i });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExprError(`unrecognized character: U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")} '${c}'`);
    out.push({ kind: "op", value: op, pos: i });
    i += op.length;
  }
  out.push({ kind: "eof", value: "", pos: n });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// parser + checker (one pass)

const BINARY: Record<string, { prec: number; right?: boolean }> = {
  "|": { prec: 0 },
  or: { prec: 10 },
  "||": { prec: 10 },
  and: { prec: 15 },
  "&&": { prec: 15 },
  "==": { prec: 20 },
  "!=": { prec: 20 },
  "<": { prec: 20 },
  ">": { prec: 20 },
  ">=": { prec: 20 },
  "<=": { prec: 20 },
  in: { prec: 20 },
  matches: { prec: 20 },
  contains: { prec: 20 },
  startsWith: { prec: 20 },
  endsWith: { prec: 20 },
  "..": { prec: 25 },
  "+": { prec: 30 },
  "-": { prec: 30 },
  "*": { prec: 60 },
  "/": { prec: 60 },
  "%": { prec: 60 },
  "**": { prec: 100, right: true },
  "^": { prec: 100, right: true },
  "??": { prec: 500 },
};

const NUMERIC = new Set<ExprType>(["int", "float"]);
const KNOWN = new Set<ExprType>(["int", "float", "string", "bool"]);

class Parser {
  private i = 0;
  private readonly scopes: Set<string>[] = [];
  constructor(
    private readonly toks: Tok[],
    private readonly env: Readonly<Record<string, EnvEntry>>,
  ) {}

  private peek(): Tok {
    return this.toks[this.i]!;
  }
  private nextTok(): Tok {
    const t = this.toks[this.i]!;
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return (t.kind === "op" || t.kind === "ident") && t.value === v;
  }
  private expect(v: string): void {
    const t = this.nextTok();
    if (!((t.kind === "op" || t.kind === "ident") && t.value === v)) this.unexpected(t);
  }
  private unexpected(t: Tok): never {
    if (t.kind === "eof") throw new ExprError("unexpected end of expression");
    throw new ExprError(`unexpected token ${describe(t)}`);
  }

  parseProgram(): ExprType {
    const t = this.parseExpr(0);
    if (this.peek().kind !== "eof") this.unexpected(this.peek());
    return t;
  }

  private parseExpr(minPrec: number): ExprType {
    if (this.peek().kind === "ident" && this.peek().value === "let") return this.parseLet();
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      let op: string | undefined;
      if (t.kind === "op" || t.kind === "ident") {
        if (t.value === "not" && this.toks[this.i + 1]?.value === "in") op = "not in";
        else if (t.value === "not" && ["matches", "contains", "startsWith", "endsWith"].includes(this.toks[this.i + 1]?.value ?? ""))
          op = `not ${this.toks[this.i + 1]!.value}`;
        else if (Object.hasOwn(BINARY, t.value)) op = t.value;
      }
      if (op === undefined) break;
      const base = op.startsWith("not ") ? op.slice(4) : op;
      const info = BINARY[base]!;
      if (info.prec < minPrec) break;
      this.nextTok();
      if (op.startsWith("not ")) this.nextTok();
      if (base === "|") {
        left = this.parsePipe();
        continue;
      }
      const right = this.parseExpr(info.right ? info.prec : info.prec + 1);
      left = binaryType(base, left, right);
    }
    if (minPrec === 0 && this.isOp("?")) {
      this.nextTok();
      const a = this.parseExpr(0);
      this.expect(":");
      const b = this.parseExpr(0);
      return a === b ? a : "any";
    }
    return left;
  }

  private parseLet(): ExprType {
    this.nextTok();
    const name = this.nextTok();
    if (name.kind !== "ident") this.unexpected(name);
    this.expect("=");
    this.parseExpr(0);
    this.expect(";");
    this.scopes.push(new Set([name.value]));
    const t = this.parseExpr(0);
    this.scopes.pop();
    return t;
  }

  private parsePipe(): ExprType {
    const fn = this.nextTok();
    if (fn.kind !== "ident") this.unexpected(fn);
    const r = this.callType(fn, true);
    return this.parsePostfix(r);
  }

  private parseUnary(): ExprType {
    const t = this.peek();
    if ((t.kind === "op" && (t.value === "!" || t.value === "-" || t.value === "+")) || (t.kind === "ident" && t.value === "not")) {
      this.nextTok();
      const operand = this.parseExpr(t.value === "-" || t.value === "+" ? 90 : 50);
      if (t.value === "!" || t.value === "not") {
        if (KNOWN.has(operand) && operand !== "bool") throw new ExprError(`invalid operation: ${t.value} (mismatched type ${operand})`);
        return "bool";
      }
      if (KNOWN.has(operand) && !NUMERIC.has(operand)) throw new ExprError(`invalid operation: ${t.value} (mismatched type ${operand})`);
      return operand;
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePrimary(): ExprType {
    const t = this.nextTok();
    switch (t.kind) {
      case "num":
        return t.numType ?? "int";
      case "str":
        return "string";
      case "ident": {
        if (t.value === "true" || t.value === "false") return "bool";
        if (t.value === "nil") return "nil";
        if (KEYWORDS.has(t.value)) this.unexpected(t);
        if (this.isOp("(")) return this.callType(t, false);
        if (this.scopes.some((s) => s.has(t.value))) return "any";
        const e = this.env[t.value];
        if (e) return e.kind === "value" ? e.type : "func";
        if (Object.hasOwn(EXPR_BUILTINS, t.value)) return "func";
        throw new ExprError(`unknown name ${t.value}`);
      }
      case "op": {
        if (t.value === "(") {
          const r = this.parseExpr(0);
          this.expect(")");
          return r;
        }
        if (t.value === "[") {
          if (!this.isOp("]")) {
            for (;;) {
              this.parseExpr(0);
              if (this.isOp(",")) {
                this.nextTok();
                if (this.isOp("]")) break;
                continue;
              }
              break;
            }
          }
          this.expect("]");
          return "array";
        }
        if (t.value === "{") {
          if (!this.isOp("}")) {
            for (;;) {
              const k = this.nextTok();
              if (k.kind === "op" && k.value === "(") {
                this.parseExpr(0);
                this.expect(")");
              } else if (k.kind !== "ident" && k.kind !== "str" && k.kind !== "num") this.unexpected(k);
              this.expect(":");
              this.parseExpr(0);
              if (this.isOp(",")) {
                this.nextTok();
                if (this.isOp("}")) break;
                continue;
              }
              break;
            }
          }
          this.expect("}");
          return "map";
        }
        if (t.value === "#") {
          const n = this.peek();
          if (n.kind === "ident") this.nextTok();
          return "any";
        }
        if (t.value === ".") {
          // `.field` inside a closure refers to the element.
          const f = this.nextTok();
          if (f.kind !== "ident") this.unexpected(f);
          return "any";
        }
        return this.unexpected(t);
      }
      default:
        return this.unexpected(t);
    }
  }

  private callType(fn: Tok, piped: boolean): ExprType {
    const name = fn.value;
    const e = this.scopes.some((s) => s.has(name)) ? undefined : this.env[name];
    const builtin = Object.hasOwn(EXPR_BUILTINS, name) ? EXPR_BUILTINS[name] : undefined;
    if (!e && builtin === undefined && !this.scopes.some((s) => s.has(name))) throw new ExprError(`unknown name ${name}`);
    this.expect("(");
    const argTypes: ExprType[] = [];
    if (!this.isOp(")")) {
      for (;;) {
        if (this.isOp("{")) argTypes.push(this.parseClosure());
        else argTypes.push(this.parseExpr(0));
        if (this.isOp(",")) {
          this.nextTok();
          continue;
        }
        break;
      }
    }
    this.expect(")");
    void piped;
    if (e) return e.kind === "func" ? e.returns : "any";
    if (builtin === "any" && (name === "abs" || name === "max" || name === "min") && argTypes[0] && NUMERIC.has(argTypes[0]))
      return argTypes[0];
    return builtin ?? "any";
  }

  /** `{ # > 1 }` predicate argument. */
  private parseClosure(): ExprType {
    this.expect("{");
    this.parseExpr(0);
    this.expect("}");
    return "func";
  }

  private parsePostfix(base: ExprType): ExprType {
    let t = base;
    for (;;) {
      if (this.isOp(".") || this.isOp("?.")) {
        this.nextTok();
        const f = this.nextTok();
        if (f.kind !== "ident") this.unexpected(f);
        if (this.isOp("(")) {
          this.nextTok();
          if (!this.isOp(")")) {
            for (;;) {
              this.parseExpr(0);
              if (this.isOp(",")) {
                this.nextTok();
                continue;
              }
              break;
            }
          }
          this.expect(")");
        }
        t = "any";
        continue;
      }
      if (this.isOp("[")) {
        this.nextTok();
        if (this.isOp(":")) {
          this.nextTok();
          if (!this.isOp("]")) this.parseExpr(0);
          this.expect("]");
          t = t === "string" ? "string" : t === "array" ? "array" : "any";
          continue;
        }
        this.parseExpr(0);
        if (this.isOp(":")) {
          this.nextTok();
          if (!this.isOp("]")) this.parseExpr(0);
          this.expect("]");
          t = t === "string" ? "string" : t === "array" ? "array" : "any";
          continue;
        }
        this.expect("]");
        t = t === "string" ? "string" : "any";
        continue;
      }
      if (this.isOp("(") && t === "func") {
        // Calling a value that is a function (rare); accept.
        this.nextTok();
        while (!this.isOp(")") && this.peek().kind !== "eof") {
          this.parseExpr(0);
          if (this.isOp(",")) this.nextTok();
          else break;
        }
        this.expect(")");
        t = "any";
        continue;
      }
      return t;
    }
  }
}

function describe(t: Tok): string {
  switch (t.kind) {
    case "num":
      return `Number("${t.value}")`;
    case "str":
      return `String("${t.value}")`;
    case "ident":
      return KEYWORDS.has(t.value) ? `Operator("${t.value}")` : `Identifier("${t.value}")`;
    default:
      return `Operator("${t.value}")`;
  }
}

function mismatch(op: string, a: ExprType, b: ExprType): never {
  throw new ExprError(`invalid operation: ${op} (mismatched types ${a} and ${b})`);
}

function binaryType(op: string, a: ExprType, b: ExprType): ExprType {
  const bothKnown = KNOWN.has(a) && KNOWN.has(b);
  switch (op) {
    case "+":
      if (NUMERIC.has(a) && NUMERIC.has(b)) return a === "float" || b === "float" ? "float" : "int";
      if (a === "string" && b === "string") return "string";
      if (a === "array" && b === "array") return "array";
      if (bothKnown) mismatch(op, a, b);
      return "any";
    case "-":
    case "*":
    case "/":
    case "%":
    case "**":
    case "^":
      if (NUMERIC.has(a) && NUMERIC.has(b)) {
        if (op === "/" || op === "**" || op === "^") return "float";
        if (op === "%") return "int";
        return a === "float" || b === "float" ? "float" : "int";
      }
      if (bothKnown || (KNOWN.has(a) && !NUMERIC.has(a)) || (KNOWN.has(b) && !NUMERIC.has(b))) {
        if (KNOWN.has(a) && KNOWN.has(b)) mismatch(op, a, b);
        if ((KNOWN.has(a) && !NUMERIC.has(a)) || (KNOWN.has(b) && !NUMERIC.has(b))) mismatch(op, a, b);
      }
      return "any";
    case "<":
    case ">":
    case "<=":
    case ">=":
      if (bothKnown && !((NUMERIC.has(a) && NUMERIC.has(b)) || (a === "string" && b === "string"))) mismatch(op, a, b);
      return "bool";
    case "==":
    case "!=":
      if (bothKnown && !(NUMERIC.has(a) && NUMERIC.has(b)) && a !== b) mismatch(op, a, b);
      return "bool";
    case "and":
    case "&&":
    case "or":
    case "||":
      if ((KNOWN.has(a) && a !== "bool") || (KNOWN.has(b) && b !== "bool")) mismatch(op, a, b);
      return "bool";
    case "matches":
    case "contains":
    case "startsWith":
    case "endsWith":
      if ((KNOWN.has(a) && a !== "string") || (KNOWN.has(b) && b !== "string")) mismatch(op, a, b);
      return "bool";
    case "in":
      if (KNOWN.has(b)) mismatch(op, a, b);
      return "bool";
    case "..":
      if ((KNOWN.has(a) && a !== "int") || (KNOWN.has(b) && b !== "int")) mismatch(op, a, b);
      return "array";
    case "??":
      return a === b ? a : "any";
    default:
      return "any";
  }
}

const cache = new Map<string, ExprCheck>();

/**
 * Compiles `source` against `env` (plus the builtins) and returns its result type or the error expr-lang would report.
 * Memoised per (env identity key, source).
 */
export function checkExpr(source: string, env: Readonly<Record<string, EnvEntry>>, envKey: string): ExprCheck {
  const key = `${envKey}\u0000${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let r: ExprCheck;
  try {
    if (source.trim() === "") throw new ExprError("unexpected end of expression");
    const p = new Parser(lex(source), env);
    r = { ok: true, type: p.parseProgram() };
  } catch (e) {
    if (!(e instanceof ExprError)) throw e;
    r = { ok: false, error: e.message };
  }
  if (cache.size > 2000) cache.clear();
  cache.set(key, r);
  return r;
}

/** Whether `name` parses as a plain identifier in expr-lang (not a keyword or literal). */
export function isExprIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && !KEYWORDS.has(name);
}

/** Whether `name` is an expr-lang builtin (including `type`, which CoreDNS disables but still reserves). */
export function isExprBuiltin(name: string): boolean {
  return Object.hasOwn(EXPR_BUILTINS, name) || name === "type";
}
