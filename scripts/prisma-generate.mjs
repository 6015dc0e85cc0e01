// Runs `prisma generate` without the network: Prisma 7's client needs no native
// engine, but the CLI still asks for the schema engine, so it gets a stub.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const stub = path.join(root, "scripts", "prisma-schema-engine-stub.sh");
const prismaBin = path.join(root, "node_modules", ".bin", "prisma");

if (!existsSync(prismaBin)) {
  console.log("prisma-generate: prisma CLI not installed (production install?), skipping");
  process.exit(0);
}
chmodSync(stub, 0o755);
const result = spawnSync(prismaBin, ["generate"], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    PRISMA_SCHEMA_ENGINE_BINARY: stub,
  },
});
process.exit(result.status ?? 1);
