/**
 * Renders the `template` plugin's Go text/template answers for the fields it provides (`.Name`, `.Zone`, `.Class`,
 * `.Type`, `.Remote`, `.Match`, `.Group`), in the forms people write: `{{ .Name }}`, `{{ index .Match 1 }}`,
 * `{{ .Group.name }}`, `{{ index .Group "name" }}`. Anything else (pipelines, functions, conditionals, `.Message`,
 * metadata) is reported as not renderable rather than guessed.
 */

/** The data a template sees. */
export type TemplateData = {
  Name: string;
  Zone: string;
  Class: string;
  Type: string;
  Match: string[];
  Group: Record<string, string>;
  Remote?: string;
};

/** The rendered text, or why it cannot be rendered here. */
export function renderTemplate(text: string, data: TemplateData): { text: string } | { error: string } {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("{{", i);
    if (open < 0) {
      out += text.slice(i);
      break;
    }
    let chunk = text.slice(i, open);
    let start = open + 2;
    if (text[start] === "-" && text[start + 1] === " ") {
      chunk = chunk.replace(/\s+$/, "");
      start += 1;
    }
    out += chunk;
    const close = text.indexOf("}}", start);
    if (close < 0) return { error: "a '{{' is not closed" };
    let inner = text.slice(start, close);
    let after = close + 2;
    if (inner.endsWith(" -")) {
      inner = inner.slice(0, -2);
      while (after < text.length && /\s/.test(text[after] as string)) after++;
    }
    const v = evalAction(inner.trim(), data);
    if (typeof v !== "string") return v;
    out += v;
    i = after;
  }
  return { text: out };
}

function evalAction(a: string, d: TemplateData): string | { error: string } {
  const field = /^\.(Name|Zone|Class|Type|Remote)$/.exec(a);
  if (field) {
    const key = field[1] as "Name" | "Zone" | "Class" | "Type" | "Remote";
    const v = d[key];
    return v === undefined ? { error: `{{ ${a} }} needs the client's address, which was not given` } : v;
  }
  const idx = /^index\s+\.Match\s+([0-9]+)$/.exec(a);
  if (idx) {
    const n = Number(idx[1]);
    if (n >= d.Match.length) return { error: `{{ ${a} }}: the regex has no group ${n} (CoreDNS fails the template and answers SERVFAIL)` };
    return d.Match[n] as string;
  }
  const grp = /^\.Group\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(a) ?? /^index\s+\.Group\s+"([^"]*)"$/.exec(a);
  if (grp) return d.Group[grp[1] as string] ?? "";
  return { error: `the template action {{ ${a} }} is not evaluated by the explainer` };
}
