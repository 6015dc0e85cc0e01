import { validateCorefile } from "@/lib/corefile/validate";

/** The full check the editor runs per keystroke: parse, plugin set-up checks and lint. */
export function validateForBench(text: string): unknown {
  return validateCorefile(text);
}
