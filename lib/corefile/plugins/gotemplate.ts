/**
 * A syntax checker for Go's text/template, as the `template` plugin parses its `answer`, `additional` and
 * `authority` lines (`template.New(name).Funcs({"parseInt": ...}).Parse(text)`). It finds what makes Parse fail:
 * unclosed actions and strings, unknown functions, undefined variables, unbalanced `if`/`range`/`with`/`end`,
 * empty commands. Execution-time problems (a missing field) are not Parse errors and are not reported.
 */

/** text/template's predefined functions. */
const BUILTIN_FUNCS = new Set([
  "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println", "urlquery", "eq", "ge",
  "gt", "le", "lt", "ne",
]);

const KEYWORDS = new Set(["block", "break", "continue", "define", "else", "end", "if", "range", "nil", "template", "with"]);

export type TemplateCheck = { ok: true } | { ok: false; error: string };

class TemplateError extends Error {}

interface ATok {
  kind: "ident" | "field" | "var" | "string" | "number" | "char" | "op" | "bool";
  value: string;
}

function lexAction(src: string, name: string): ATok[] {
  const out: ATok[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= n || src[j] === "\n") throw new TemplateError(`template: ${name}:1: unterminated quoted string`);
        if (src[j] === "\\") {
          j += 2;
          continue;
        }
        if (src[j] === '"') break;
        j++;
      }
      out.push({ kind: "string", value: src.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    if (c === "`") {
      const e = src.indexOf("`", i + 1);
      if (e < 0) throw new TemplateError(`template: ${name}:1: unterminated raw quoted string`);
      out.push({ kind: "string", value: src.slice(i, e + 1) });
      i = e + 1;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      for (;;) {
        if (j >= n || src[j] === "\n") throw new TemplateError(`template: ${name}:1: unterminated character constant`);
        if (src[j] === "\\") {
          j += 2;
          continue;
        }
        if (src[j] === "'") break;
        j++;
      }
      out.push({ kind: "char", value: src.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    if (c === "$") {
      let j = i + 1;
      while (j < n && /[\p{L}\p{N}_]/u.test(src[j]!)) j++;
      out.push({ kind: "var", value: src.slice(i, j) });
      i = j;
      continue;
    }
    if (c === ".") {
      if (/[0-9]/.test(src[i + 1] ?? "")) {
        const m = /^\.[0-9][0-9a-zA-Z_.+-]*/.exec(src.slice(i))!;
        out.push({ kind: "number", value: m[0] });
        i += m[0].length;
        continue;
      }
      let j = i + 1;
      while (j < n && /[\p{L}\p{N}_]/u.test(src[j]!)) j++;
      out.push({ kind: "field", value: src.slice(i, j) });
      i = j;
      continue;
    }
    if (/[0-9+-]/.test(c) && /[0-9.]/.test(c === "+" || c === "-" ? (src[i + 1] ?? "") : c)) {
      const m = /^[+-]?[0-9a-zA-Z_.]+([eEpP][+-][0-9_]+)?i?/.exec(src.slice(i))!;
      out.push({ kind: "number", value: m[0] });
      i += m[0].length;
      continue;
    }
    if (/[\p{L}_]/u.test(c)) {
      let j = i + 1;
      while (j < n && /[\p{L}\p{N}_]/u.test(src[j]!)) j++;
      const w = src.slice(i, j);
      out.push({ kind: w === "true" || w === "false" ? "bool" : "ident", value: w });
      i = j;
      continue;
    }
    if (src.startsWith(":=", i)) {
      out.push({ kind: "op", value: ":=" });
      i += 2;
      continue;
    }
    if ("|(),=".includes(c)) {
      out.push({ kind: "op", value: c });
      i++;
      continue;
    }
    throw new TemplateError(`template: ${name}:1: unexpected ${JSON.stringify(c)} in command`);
  }
  return out;
}

function check(text: string, name: string, funcs: ReadonlySet<string>): void {
  const stack: string[] = [];
  const vars = new Set<string>(["$"]);
  let i = 0;
  for (;;) {
    const open = text.indexOf("{{", i);
    if (open < 0) break;
    let start = open + 2;
    if (text[start] === "-" && /\s/.test(text[start + 1] ?? "")) start += 2;
    // Comments.
    const rest = text.slice(start).trimStart();
    if (rest.startsWith("/*")) {
      const endC = text.indexOf("*/", start);
      if (endC < 0) throw new TemplateError(`template: ${name}:1: unclosed comment`);
      const close = text.indexOf("}}", endC + 2);
      if (close < 0) throw new TemplateError(`template: ${name}:1: comment ends before closing delimiter`);
      i = close + 2;
      continue;
    }
    // Find the closing delimiter outside quotes.
    let j = start;
    let close = -1;
    while (j < text.length) {
      const c = text[j]!;
      if (c === '"' || c === "'") {
        j++;
        while (j < text.length && text[j] !== c) {
          if (text[j] === "\\") j++;
          j++;
        }
        j++;
        continue;
      }
      if (c === "`") {
        const e = text.indexOf("`", j + 1);
        j = e < 0 ? text.length : e + 1;
        continue;
      }
      if (text.startsWith("}}", j)) {
        close = j;
        break;
      }
      j++;
    }
    if (close < 0) throw new TemplateError(`template: ${name}:1: unclosed action`);
    let body = text.slice(start, close);
    if (/\s-$/.test(body)) body = body.slice(0, -2);
    i = close + 2;
    const toks = lexAction(body, name);
    if (toks.length === 0) throw new TemplateError(`template: ${name}:1: missing value for command`);
    const first = toks[0]!;
    let cmd = toks;
    if (first.kind === "ident" && KEYWORDS.has(first.value) && first.value !== "nil") {
      switch (first.value) {
        case "if":
        case "range":
        case "with":
          if (toks.length === 1) throw new TemplateError(`template: ${name}:1: missing value for ${first.value}`);
          stack.push(first.value);
          cmd = toks.slice(1);
          break;
        case "define":
        case "block":
          stack.push(first.value);
          cmd = [];
          break;
        case "else":
          if (stack.length === 0 || !["if", "range", "with"].includes(stack[stack.length - 1]!))
            throw new TemplateError(`template: ${name}:1: unexpected {{else}}`);
          cmd = toks.slice(1);
          if (cmd[0]?.kind === "ident" && (cmd[0].value === "if" || cmd[0].value === "with")) cmd = cmd.slice(1);
          break;
        case "end":
          if (stack.length === 0) throw new TemplateError(`template: ${name}:1: unexpected {{end}}`);
          stack.pop();
          cmd = [];
          break;
        case "break":
        case "continue":
          if (!stack.includes("range")) throw new TemplateError(`template: ${name}:1: {{${first.value}}} outside {{range}}`);
          cmd = [];
          break;
        case "template":
          cmd = toks.slice(2);
          break;
      }
    }
    let parens = 0;
    for (let k = 0; k < cmd.length; k++) {
      const t = cmd[k]!;
      if (t.kind === "ident" && !KEYWORDS.has(t.value) && !funcs.has(t.value) && !BUILTIN_FUNCS.has(t.value))
        throw new TemplateError(`template: ${name}:1: function ${JSON.stringify(t.value)} not defined`);
      if (t.kind === "var") {
        const next = cmd[k + 1];
        const declares = next?.kind === "op" && (next.value === ":=" || next.value === "=" || next.value === ",");
        if (declares) vars.add(t.value);
        else if (!vars.has(t.value.split(".")[0]!)) throw new TemplateError(`template: ${name}:1: undefined variable "${t.value}"`);
      }
      if (t.kind === "op" && t.value === "(") parens++;
      if (t.kind === "op" && t.value === ")") {
        parens--;
        if (parens < 0) throw new TemplateError(`template: ${name}:1: unexpected right paren`);
      }
      if (t.kind === "op" && t.value === "|" && (k === 0 || k === cmd.length - 1))
        throw new TemplateError(`template: ${name}:1: missing command`);
    }
    if (parens > 0) throw new TemplateError(`template: ${name}:1: unclosed left paren`);
  }
  if (stack.length > 0) throw new TemplateError(`template: ${name}:1: unexpected EOF`);
}

const cache = new Map<string, TemplateCheck>();
const TEMPLATE_FUNCS = new Set(["parseInt"]);

/** Checks `text` as the template plugin's `template.New(name).Funcs({parseInt}).Parse(text)` would. Memoised. */
export function checkGoTemplate(text: string, name: string): TemplateCheck {
  const key = `${name}\u0000${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let r: TemplateCheck;
  try {
    check(text, name, TEMPLATE_FUNCS);
    r = { ok: true };
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    r = { ok: false, error: e.message };
  }
  if (cache.size > 2000) cache.clear();
  cache.set(key, r);
  return r;
}
