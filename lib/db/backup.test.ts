import { execFile } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backupDatabase, BackupError, defaultBackupPath } from "./backup";
import { createTestDatabase } from "./test-database";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");

describe("backupDatabase (SQLite online backup)", () => {
  let database: ReturnType<typeof createTestDatabase>;

  beforeEach(() => {
    database = createTestDatabase();
  });
  afterEach(() => database.dispose());

  const addCluster = (name: string) =>
    database.db.cluster.create({ data: { name, connection: "kubeconfig", kubeconfigPath: "/x", configMapNamespace: "kube-system", configMapName: "coredns", configMapKey: "Corefile", podLabelSelector: "k8s-app=kube-dns" } });

  it("copies what the running server wrote, WAL included, into one checked file", async () => {
    // The Prisma client stays open: its writes may still sit in the -wal file, as in a running server.
    await addCluster("before-backup");
    const destination = path.join(database.dir, "copies", "one.db");
    const result = await backupDatabase({ url: database.url, destination });
    await addCluster("after-backup");

    expect(result.destination).toBe(destination);
    expect(result.bytes).toBeGreaterThan(0);
    expect(result.pages).toBeGreaterThan(0);
    const copy = new Database(destination, { readonly: true, fileMustExist: true });
    try {
      expect(copy.prepare("SELECT name FROM Cluster ORDER BY name").all()).toEqual([{ name: "before-backup" }]);
      expect(copy.pragma("journal_mode", { simple: true })).toBe("delete");
      expect((copy.prepare(`SELECT COUNT(*) AS n FROM "_coredeck_migrations"`).get() as { n: number }).n).toBeGreaterThan(0);
    } finally {
      copy.close();
    }
    expect(readdirSync(path.dirname(destination))).toEqual(["one.db"]);
  });

  it("never overwrites an existing file", async () => {
    const destination = path.join(database.dir, "taken.db");
    writeFileSync(destination, "keep me");
    const error = await backupDatabase({ url: database.url, destination }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupError);
    expect((error as BackupError).code).toBe("DESTINATION_EXISTS");
  });

  it("says where it looked when there is no database", async () => {
    const missing = path.join(database.dir, "absent.db");
    const error = await backupDatabase({ url: `file:${missing}`, destination: path.join(database.dir, "x.db") }).catch((e: unknown) => e);
    expect((error as BackupError).code).toBe("NO_DATABASE");
    expect((error as BackupError).message).toContain(missing);
    expect(existsSync(missing)).toBe(false);
  });

  it("names default copies by UTC time under <data dir>/backups", () => {
    expect(path.basename(defaultBackupPath(new Date("2026-11-26T12:34:56.789Z")))).toBe("coredeck-20261126T123456Z.db");
  });

  it("npm run db:backup: copies to the given file, exit 1 with a message when it exists", async () => {
    await addCluster("from-cli");
    const destination = path.join(database.dir, "cli.db");
    const env = { ...process.env, DATABASE_URL: database.url };
    const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
    const first = await run(tsx, ["--conditions=react-server", "scripts/backup.ts", destination], { cwd: ROOT, env });
    expect(first.stdout).toMatch(/backed up .* to .*cli\.db \(.* MB, integrity ok\)/);
    const copy = new Database(destination, { readonly: true });
    expect(copy.prepare("SELECT name FROM Cluster").all()).toEqual([{ name: "from-cli" }]);
    copy.close();

    const second = await run(tsx, ["--conditions=react-server", "scripts/backup.ts", destination], { cwd: ROOT, env }).catch((e: { code: number; stderr: string }) => e);
    expect((second as { code: number }).code).toBe(1);
    expect((second as { stderr: string }).stderr).toMatch(/exists already; nothing was overwritten/);
  });
});
