/** `npm run db:migrate`: applies pending SQL migrations to DATABASE_URL (default .data/coredeck.db). */
import { applyMigrations } from "@/lib/db/migrate";
import { databaseFilePath } from "@/lib/db/paths";

const { applied, alreadyApplied } = applyMigrations();
console.log(`${databaseFilePath()}: applied ${applied.length} (${applied.join(", ") || "none"}), ${alreadyApplied.length} already applied`);
