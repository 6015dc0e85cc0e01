/**
 * `npm run db:backup [-- <file>]`: a consistent copy of the SQLite database (DATABASE_URL, default
 * `<data dir>/coredeck.db`) while the server runs, to `<file>` or `<data dir>/backups/coredeck-<UTC time>.db`.
 * In the container image the same script is `node /app/scripts/backup.mjs [<file>]`.
 * Exit codes: 0 copied, 1 refused or failed (the message says why), 2 usage.
 */
import { backupDatabase, BackupError } from "@/lib/db/backup";

const args = process.argv.slice(2);
if (args.length > 1 || args.some((arg) => arg.startsWith("-"))) {
  console.error("usage: npm run db:backup [-- <destination file>]");
  process.exit(2);
}

try {
  const result = await backupDatabase({ destination: args[0] });
  console.log(`coredeck: backed up ${result.source} to ${result.destination} (${(result.bytes / 1024 / 1024).toFixed(1)} MB, integrity ok)`);
} catch (error) {
  console.error(`coredeck: ${error instanceof BackupError ? error.message : error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
}
