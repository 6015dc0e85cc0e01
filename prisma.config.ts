import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma 7 does not read .env; the URL is resolved the same way as lib/db/url.ts.
const url = process.env.DATABASE_URL ?? `file:${path.join(process.cwd(), ".data", "coredeck.db")}`;

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  datasource: { url },
});
