/**
 * Prints a concrete syntax tree back to text by concatenating the `raw` text of every token and trivia piece in tree
 * order. For a tree straight from `parse`, `print(parse(x).cst) === x` for every input. Editors that change a token's
 * `raw` (or insert/remove pieces) get their edit printed with all other bytes untouched.
 */
import type { Child, Node } from "./cst";

/** The source text of a tree (or of any node of it). */
export function print(node: Node): string {
  const out: string[] = [];
  // Iterative walk: deeply nested garbage like "{{{{..." must not overflow the call stack.
  const stack: Array<{ children: Child[]; i: number }> = [{ children: node.children, i: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { children: Child[]; i: number };
    if (top.i >= top.children.length) {
      stack.pop();
      continue;
    }
    const c = top.children[top.i++] as Child;
    if ("children" in c) stack.push({ children: c.children, i: 0 });
    else out.push(c.raw);
  }
  return out.join("");
}
