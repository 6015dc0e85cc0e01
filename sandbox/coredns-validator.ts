/**
 * What a simulated CoreDNS pod does with a Corefile, decided by Coredeck's own engine: the same
 * parse, plugin set-up checks and reload hash as CoreDNS 1.14.7. The pod mounts the ConfigMap at
 * /etc/coredns, which is the file name the reload plugin hashes with.
 */
import { reloadHash } from "@/lib/corefile/reload-hash";
import { validateCorefile } from "@/lib/corefile/validate";
import type { CorefileValidator } from "./pods";

const MOUNTED_COREFILE = "/etc/coredns/Corefile";

/** Accepts what CoreDNS would load and rejects the rest, publishing CoreDNS's reload hash. */
export const validateAsCoreDns: CorefileValidator = (corefile) => {
  const hashed = reloadHash(corefile, { filename: MOUNTED_COREFILE });
  if (!hashed.ok) {
    return { ok: false, error: hashed.error.corednsMessage ?? hashed.error.message };
  }
  const validation = validateCorefile(corefile, { filename: MOUNTED_COREFILE });
  const firstError = validation.diagnostics.find((d) => d.severity === "error");
  if (firstError) {
    return { ok: false, hash: hashed.hash, error: firstError.corednsMessage ?? `${firstError.file}:${firstError.line} - ${firstError.message}` };
  }
  const reloadEnabled = validation.parse.serverBlocks.some((block) => block.tokens.reload !== undefined);
  return { ok: true, hash: hashed.hash, reloadEnabled };
};
