import fs from "node:fs";
import path from "node:path";
import { tokenize, type Token } from "../lexer";
import { getPluginSpec, validatePlugin } from "./index";

function splitCorefile(text: string) {
  const toks = tokenize(text, "Corefile");
  const blocks: { keys: string[]; directives: Map<string, Token[]> }[] = [];
  let i = 0;
  const newLine = (k: number): boolean => {
    const a = toks[k - 1];
    const b = toks[k];
    if (!a || !b) return true;
    return b.line > a.line + (a.text.match(/\n/g)?.length ?? 0);
  };
  while (i < toks.length) {
    const keys: string[] = [];
    while (i < toks.length && toks[i]!.text !== "{") {
      if (toks[i]!.text !== "}") keys.push(toks[i]!.text.replace(/,$/, ""));
      i++;
    }
    i++;
    const directives = new Map<string, Token[]>();
    while (i < toks.length && toks[i]!.text !== "}") {
      const name = toks[i]!.text;
      const list = directives.get(name) ?? [];
      list.push(toks[i]!);
      i++;
      let nesting = 0;
      while (i < toks.length) {
        const t = toks[i]!;
        if (t.text === "{") nesting++;
        else if (newLine(i) && nesting === 0) break;
        else if (t.text === "}") {
          if (nesting === 0) break;
          nesting--;
        }
        list.push(t);
        i++;
      }
      directives.set(name, list);
    }
    i++;
    blocks.push({ keys, directives });
  }
  return blocks;
}
const root = "/work/shared/corpus/corefiles";
const files: string[] = [];
const walk = (d: string) => { for (const f of fs.readdirSync(d)) { const p = path.join(d, f); if (fs.statSync(p).isDirectory()) walk(p); else if (/\.conf$|Corefile|\.rendered/.test(f)) files.push(p); } };
walk(root);
let n = 0;
const sev = process.argv[2] ?? "error";
for (const f of files) {
  const text = fs.readFileSync(f, "utf8");
  for (const b of splitCorefile(text)) for (const [name, toks] of b.directives) {
    if (!getPluginSpec(name)) continue;
    for (const d of validatePlugin(name, toks, { serverBlockKeys: b.keys })) {
      if (d.severity === sev || sev === "all") { n++; console.log(`${f.replace(root + "/", "")}:${d.line} ${name} ${d.severity} ${d.code}: ${d.message}`); }
    }
  }
}
console.log(files.length, "files", n, "diags");
