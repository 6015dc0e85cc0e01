import { appendFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations } from "./migrate";
import { createTestDatabase } from "./test-database";

const MIGRATIONS = path.resolve(import.meta.dirname, "../../prisma/migrations");
const cleanups: (() => void)[] = [];

afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "coredeck-migrate-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("applyMigrations", () => {
  it("applies every migration once, records it, and turns on WAL", () => {
    const dir = tempDir();
    const url = `file:${path.join(dir, "nested", "a.db")}`;

    const first = applyMigrations({ url, migrationsDir: MIGRATIONS });
    expect(first.applied).toContain("20261126000000_init");
    expect(first.alreadyApplied).toEqual([]);

    const second = applyMigrations({ url, migrationsDir: MIGRATIONS });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);

    const db = new Database(path.join(dir, "nested", "a.db"));
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(["Cluster", "_coredeck_migrations"]));
    db.close();
  });

  it("refuses to start when an applied migration was edited afterwards", () => {
    const dir = tempDir();
    const migrations = path.join(dir, "migrations");
    cpSync(MIGRATIONS, migrations, { recursive: true });
    const url = `file:${path.join(dir, "b.db")}`;
    applyMigrations({ url, migrationsDir: migrations });

    appendFileSync(path.join(migrations, "20261126000000_init", "migration.sql"), "\n-- edited\n");
    expect(() => applyMigrations({ url, migrationsDir: migrations })).toThrow(/was changed after it was applied/);
  });

  it("rolls back a failing migration and leaves it unrecorded", () => {
    const dir = tempDir();
    const migrations = path.join(dir, "migrations");
    cpSync(MIGRATIONS, migrations, { recursive: true });
    const broken = path.join(migrations, "20990101000000_broken");
    cpSync(path.join(migrations, "20261126000000_init"), broken, { recursive: true });
    appendFileSync(path.join(broken, "migration.sql"), "\nCREATE TABLE \"Extra\" (id TEXT);\nTHIS IS NOT SQL;\n");
    const url = `file:${path.join(dir, "c.db")}`;

    expect(() => applyMigrations({ url, migrationsDir: migrations })).toThrow();
    const db = new Database(path.join(dir, "c.db"));
    const names = (db.prepare(`SELECT name FROM "_coredeck_migrations"`).all() as { name: string }[]).map((row) => row.name);
    expect(names).toContain("20261126000000_init");
    expect(names).not.toContain("20990101000000_broken");
    const extra = db.prepare("SELECT name FROM sqlite_master WHERE name = 'Extra'").all();
    expect(extra).toEqual([]);
    db.close();
  });
});

describe("the Prisma client on the migrated schema", () => {
  it("stores and reads back every Cluster field", async () => {
    const database = createTestDatabase();
    cleanups.push(() => void database.dispose());
    const created = await database.db.cluster.create({
      data: { name: "prod", connection: "kubeconfig", kubeconfigPath: "/k/config", kubeconfigContext: "prod-ctx" },
    });
    const read = await database.db.cluster.findUniqueOrThrow({ where: { name: "prod" } });
    expect(read).toEqual(created);
    expect(read).toMatchObject({
      configMapNamespace: "kube-system",
      configMapName: "coredns",
      configMapKey: "Corefile",
      podLabelSelector: "k8s-app=kube-dns",
    });
    await expect(database.db.cluster.create({ data: { name: "prod", connection: "sandbox" } })).rejects.toThrow();
  });
});
