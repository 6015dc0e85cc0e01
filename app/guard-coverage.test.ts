/**
 * Every Server Action, route handler and page of the app is guarded. The lists are not written down here: the test
 * finds every `"use server"` module, every route.ts and every page.tsx under app/, so a new one that forgets the guard
 * fails it. Static: each exported action calls the guard first; each page calls a guard. Runtime: every action refuses
 * an anonymous caller and a cross-origin one, every mutating action refuses a viewer, and every route handler answers
 * an anonymous request with 401 (a real migrated SQLite file; only Next's request-scope functions are stand-ins).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "@/lib/db/test-database";

const request = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));

vi.mock("next/headers", () => ({
  headers: async () => request.headers,
  cookies: async () => ({
    get: (name: string) => (request.cookies.has(name) ? { name, value: request.cookies.get(name)! } : undefined),
    set: () => undefined,
    delete: () => undefined,
  }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    throw new Error(`redirect ${to}`);
  },
}));

const APP = path.resolve(import.meta.dirname);

function listFiles(dir: string, match: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(full, match);
    return match(entry.name) ? [full] : [];
  });
}

const actionModules = listFiles(APP, (name) => /\.tsx?$/.test(name) && !name.endsWith(".test.ts")).filter((file) =>
  /^\s*["']use server["']/.test(readFileSync(file, "utf8")),
);
const routeModules = listFiles(APP, (name) => name === "route.ts");
const pageModules = listFiles(APP, (name) => name === "page.tsx");

/** Actions anyone may call (signing in); their guard is the origin check. */
const PUBLIC_ACTIONS = new Set(["signInAction", "createFirstAdminAction", "changePasswordAction"]);
/** Actions that change something: a viewer must be refused. */
const MUTATING_ACTIONS = new Set([
  "saveDraftAction",
  "discardDraftAction",
  "applyCorefileAction",
  "rollbackAction",
  "grantRoleAction",
  "revokeRoleAction",
  "createUserAction",
]);
/** Routes of the sign-in flow and the health probe: reachable without a session by design. */
const PUBLIC_ROUTES = [/^auth\//, /^api\/health\//];
/** Pages of the sign-in flow: they check the session themselves (getPrincipal) and redirect. */
const PUBLIC_PAGES = new Set(["signin/page.tsx", "account/password/page.tsx", "access-denied/page.tsx"]);

function exportedFunctions(source: string): { name: string; body: string }[] {
  const found: { name: string; body: string }[] = [];
  const pattern = /export async function (\w+)\s*\(/g;
  const starts = [...source.matchAll(pattern)];
  starts.forEach((match, index) => {
    const end = starts[index + 1]?.index ?? source.length;
    found.push({ name: match[1]!, body: source.slice(match.index!, end) });
  });
  return found;
}

/** The statements before the first `await` that is not the guard: the guard must come first. */
function callsGuardFirst(body: string, guard: RegExp): boolean {
  const firstAwait = body.search(/\bawait\b/);
  return firstAwait >= 0 && guard.test(body.slice(firstAwait, firstAwait + 80));
}

let database: ReturnType<typeof createTestDatabase>;
let viewerSession: string;

beforeAll(async () => {
  database = createTestDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.COREDECK_AUTH = "local";
  const { createLocalUser } = await import("@/lib/auth/accounts");
  const { createSession } = await import("@/lib/auth/sessions");
  const viewer = await createLocalUser({ username: "vic", password: "a long enough password", role: "viewer" });
  viewerSession = (await createSession({ userId: viewer.id, method: "local", groups: [], address: null, hours: 1 })).secret;
});

afterAll(async () => {
  const { getDb } = await import("@/lib/db/client");
  await getDb().$disconnect();
  await database.dispose();
});

function asRequest(options: { session?: string; origin?: string }) {
  request.headers = new Headers({ host: "127.0.0.1:3000", ...(options.origin ? { origin: options.origin } : {}) });
  request.cookies = new Map(options.session ? [["coredeck_session", options.session]] : []);
}

/** An input that passes the actions' own validation as far as it can: the guard must refuse before any of it matters. */
function sampleInput(name: string): unknown {
  if (/Action$/.test(name) && ["signInAction", "createFirstAdminAction", "changePasswordAction", "createTokenAction", "grantRoleAction", "createUserAction"].includes(name)) {
    const form = new FormData();
    for (const [key, value] of Object.entries({ username: "vic", password: "a long enough password", confirm: "a long enough password", current: "x", name: "t", role: "editor", clusters: "*", expiresInDays: "7", subjectType: "group", subject: "ops", cluster: "*" })) {
      form.set(key, value);
    }
    return form;
  }
  return { cluster: "sandbox", revisionId: "r1", id: "x", text: "", baseText: "", baseResourceVersion: "1", message: "" };
}

async function callAction(file: string, name: string): Promise<unknown> {
  const loaded = (await import(file)) as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const input = sampleInput(name);
  try {
    return input instanceof FormData ? await loaded[name]!(null, input) : await loaded[name]!(input);
  } catch (error) {
    return { thrown: error instanceof Error ? error.message : String(error) };
  }
}

describe("Server Actions", () => {
  const actions = actionModules.flatMap((file) => exportedFunctions(readFileSync(file, "utf8")).map((fn) => ({ file, ...fn })));

  it("are all found (the test is not vacuous)", () => {
    expect(actions.length).toBeGreaterThanOrEqual(15);
    expect(actions.map((action) => action.name)).toEqual(expect.arrayContaining([...MUTATING_ACTIONS, ...PUBLIC_ACTIONS]));
  });

  it("each call the guard before doing anything else", () => {
    const unguarded = actions
      .filter((action) => !callsGuardFirst(action.body, PUBLIC_ACTIONS.has(action.name) ? /checkActionOrigin\(/ : /authorizeAction\(/))
      .map((action) => `${path.relative(APP, action.file)}: ${action.name}`);
    expect(unguarded).toEqual([]);
  });

  it("each refuse an anonymous caller (public ones excepted)", { timeout: 120_000 }, async () => {
    const answers: Record<string, unknown> = {};
    for (const action of actions.filter((candidate) => !PUBLIC_ACTIONS.has(candidate.name))) {
      asRequest({});
      answers[action.name] = await callAction(action.file, action.name);
    }
    for (const [name, answer] of Object.entries(answers)) expect(answer, name).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
  });

  it("each refuse a cross-origin call, even with a valid session", { timeout: 120_000 }, async () => {
    for (const action of actions) {
      asRequest({ session: viewerSession, origin: "http://evil.example" });
      expect(await callAction(action.file, action.name), action.name).toMatchObject({ ok: false, code: "CROSS_ORIGIN" });
    }
  });

  it("refuse a viewer every change (apply, rollback, drafts, access), and record the refused apply and rollback", { timeout: 120_000 }, async () => {
    for (const action of actions.filter((candidate) => MUTATING_ACTIONS.has(candidate.name))) {
      asRequest({ session: viewerSession });
      expect(await callAction(action.file, action.name), action.name).toMatchObject({ ok: false, code: "FORBIDDEN" });
    }
    const { getDb } = await import("@/lib/db/client");
    const denied = await getDb().auditEvent.findMany({ where: { outcome: "denied", actor: "vic" } });
    expect(denied.map((row) => row.action)).toEqual(expect.arrayContaining(["apply", "rollback", "draft.discard"]));
  });
});

describe("route handlers", () => {
  const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

  it("each answer an anonymous request with 401 JSON (the sign-in flow and the health probe excepted)", { timeout: 120_000 }, async () => {
    const checked: string[] = [];
    for (const file of routeModules) {
      const route = path.relative(APP, file).replace(/\\/g, "/");
      if (PUBLIC_ROUTES.some((pattern) => pattern.test(route))) continue;
      const loaded = (await import(file)) as Record<string, (request: Request, context: unknown) => Promise<Response>>;
      for (const method of METHODS) {
        if (typeof loaded[method] !== "function") continue;
        asRequest({});
        const url = `http://127.0.0.1:3000/${route.replace(/\/route\.ts$/, "").replace(/\[(\w+)\]/g, "x")}`;
        const response = await loaded[method]!(new Request(url, { method, headers: { host: "127.0.0.1:3000" } }), {
          params: Promise.resolve({ cluster: "sandbox", id: "x" }),
        });
        expect(response.status, `${method} ${route}`).toBe(401);
        expect(await response.json(), `${method} ${route}`).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
        checked.push(`${method} ${route}`);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(7);
  });
});

describe("pages", () => {
  it("each require sign-in through loadClusterContext or requirePageRole (the sign-in pages check the session themselves)", () => {
    const unguarded = pageModules
      .map((file) => ({ page: path.relative(APP, file).replace(/\\/g, "/"), source: readFileSync(file, "utf8") }))
      .filter(({ page, source }) =>
        PUBLIC_PAGES.has(page) ? !/getPrincipal\(\)/.test(source) : !/(loadClusterContext|requirePageRole)\(/.test(source),
      )
      .map(({ page }) => page);
    expect(pageModules.length).toBeGreaterThanOrEqual(10);
    expect(unguarded).toEqual([]);
  });
});
