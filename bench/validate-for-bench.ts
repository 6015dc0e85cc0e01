import { parse } from "@/lib/corefile";

/** The full check the editor runs per keystroke (replaced by validateCorefile once it exists). */
export function validateForBench(text: string): unknown {
  return parse(text);
}
