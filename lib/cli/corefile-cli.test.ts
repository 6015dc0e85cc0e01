import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusRoot } from "@/lib/testing/corpus";
import { reloadHash } from "@/lib/corefile/reload-hash";
import { runCorefileCli, type CliIo } from "./corefile-cli";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CORPUS = corpusRoot();
const EXPECTED = JSON.parse(readFileSync(path.join(CORPUS, "expected/coredns-parser.json"), "utf8")) as Record<
  string,
  { ok: boolean; hash?: string; hashError?: string }
>;

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "coredeck-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}, stdin?: string) {
  let stdout = "";
  let stderr = "";
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd: dir };
  if (stdin !== undefined) io.stdin = () => stdin;
  const code = runCorefileCli(args, io);
  return { code, stdout, stderr };
}

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe("corefile hash", () => {
  it("prints CoreDNS's reload hash for corpus Corefiles, in sha512sum format", () => {
    const names = Object.keys(EXPECTED).filter((name) => EXPECTED[name]?.hash).slice(0, 40);
    const files = names.map((name) => path.join(CORPUS, name));
    const { code, stdout } = run(["hash", ...files]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines).toEqual(names.map((name, i) => `${EXPECTED[name]!.hash}  ${files[i]}`));
  });

  it("reports a file the parser rejects on stderr and exits 1 after hashing the others", () => {
    const good = write("good.conf", ".:53 {\n    whoami\n}\n");
    const bad = write("bad.conf", ".:53 {\n    import\n}\n");
    const { code, stdout, stderr } = run(["hash", bad, good]);
    expect(code).toBe(1);
    expect(stdout).toMatch(new RegExp(`^[0-9a-f]{128}  ${good}\\n$`));
    expect(stderr).toContain(`${bad}: `);
  });

  it("substitutes environment variables as CoreDNS does", () => {
    const file = write("env.conf", ".:53 {\n    forward . {$UPSTREAM}\n}\n");
    const literal = write("literal.conf", ".:53 {\n    forward . 10.0.0.1\n}\n");
    const withEnv = run(["hash", file], { UPSTREAM: "10.0.0.1" }).stdout.split(" ")[0];
    const withoutEnv = run(["hash", file]).stdout.split(" ")[0];
    expect(withEnv).toBe(run(["hash", literal]).stdout.split(" ")[0]);
    expect(withoutEnv).not.toBe(withEnv);
  });
});

describe("corefile check", () => {
  it("exits 0 for valid Corefiles and 1 when any is invalid, naming code and position", () => {
    const valid = write("valid.conf", ".:53 {\n    errors\n    forward . 8.8.8.8\n}\n");
    const invalid = write("invalid.conf", ".:53 {\n    errors\n    forwrd . 8.8.8.8\n}\n");
    expect(run(["check", valid]).code).toBe(0);
    const { code, stdout } = run(["check", valid, invalid]);
    expect(code).toBe(1);
    expect(stdout).toContain(`${invalid}:3:5: error UNKNOWN_DIRECTIVE`);
    expect(stdout).toContain(`${invalid}: INVALID`);
  });

  it("prints the documented JSON shape with --json", () => {
    const invalid = write("json.conf", ".:53 {\n    cache 30 {\n        success\n    }\n}\n");
    const { code, stdout } = run(["check", "--json", invalid]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { files: { file: string; valid: boolean; diagnostics: Record<string, unknown>[] }[] };
    expect(report.files).toHaveLength(1);
    expect(report.files[0]).toMatchObject({ file: invalid, valid: false });
    for (const diagnostic of report.files[0]!.diagnostics) {
      expect(Object.keys(diagnostic).sort()).toEqual(["code", "column", "endColumn", "endLine", "line", "message", "severity"]);
    }
    expect(report.files[0]!.diagnostics.find((d) => d.severity === "error")).toMatchObject({ line: 3 });
  });

  it("resolves imports from files next to the Corefile", () => {
    write("extra.server", "example.org:53 {\n    whoami\n}\n");
    const main = write("main.conf", ".:53 {\n    whoami\n}\nimport extra.server\n");
    expect(run(["check", main]).code).toBe(0);
    const missing = write("missing.conf", ".:53 {\n    whoami\n}\nimport nothing-here.server\n");
    const { code, stdout } = run(["check", missing]);
    expect(code).toBe(1);
    expect(stdout).toContain("IMPORT_NOT_FOUND");
  });

  it("exits 2 on usage and I/O errors", () => {
    expect(run(["check"]).code).toBe(2);
    expect(run(["check", "--coredns-version", "latest", "x"]).code).toBe(2);
    expect(run(["check", "--nope", "x"]).code).toBe(2);
    expect(run(["frobnicate"]).code).toBe(2);
    const missing = run(["check", path.join(dir, "does-not-exist.conf")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such file");
  });
});

describe("the npm script", () => {
  it("runs as `npm run -s corefile -- hash` with sha512sum output and exit codes", () => {
    const file = write("npm.conf", ".:53 {\n    whoami\n}\n");
    const output = execFileSync("npm", ["run", "-s", "corefile", "--", "hash", file], { cwd: ROOT, encoding: "utf8" });
    expect(output).toMatch(new RegExp(`^[0-9a-f]{128}  ${file}\\n$`));
    const failed = spawnSync("npm", ["run", "-s", "corefile", "--", "check", write("npm-bad.conf", ". {\n  nope\n}\n")], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain("UNKNOWN_DIRECTIVE");
  });
});

describe("corefile chain", () => {
  it("lists the plugins of each block in execution order, whatever the text order", () => {
    const file = write("chain.conf", ".:53 {\n    forward . 8.8.8.8\n    cache 30\n    errors\n}\n");
    const { code, stdout } = run(["chain", file]);
    expect(code).toBe(0);
    const names = stdout
      .split("\n")
      .map((line) => /^\s+\d+\.\s+(\S+)/.exec(line)?.[1])
      .filter(Boolean);
    expect(names).toEqual(["errors", "cache", "forward"]);
    expect(stdout).toContain("written in another order");
    expect(run(["chain", file, file]).code).toBe(2);
  });
});

describe("corefile fmt", () => {
  const messy = ".:53 {\n  errors\n\tforward .   8.8.8.8   # upstream\n\n\n  cache 30\n}";

  it("prints the canonical style, checks it, and writes it", () => {
    const file = write("fmt.conf", messy);
    const printed = run(["fmt", file]);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(".:53 {\n    errors\n    forward . 8.8.8.8 # upstream\n\n    cache 30\n}\n");

    const checked = run(["fmt", "--check", file]);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain("not formatted");

    expect(run(["fmt", "--write", file]).code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(printed.stdout);
    expect(run(["fmt", "--check", file]).code).toBe(0);
  });

  it("leaves a file with broken braces alone and says why", () => {
    const file = write("broken.conf", ".:53 {\n    errors\n");
    const result = run(["fmt", "--check", file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("not formatted");
    expect(run(["fmt", "--check", "--write", file]).code).toBe(2);
  });
});

/** A ConfigMap manifest as GitOps repositories keep it, with a Service after it in the same stream. */
const MANIFEST = `# managed by Argo CD
apiVersion: v1
kind: ConfigMap
metadata:
  name: coredns
  namespace: kube-system
data:
  Corefile: |
    .:53 {
        errors
        forward . /etc/resolv.conf {
           max_fails lots
        }
        cache 30
        loop
        reload
        prometheus :9153
    }
  other.conf: |
    # not the Corefile
---
apiVersion: v1
kind: Service
metadata:
  name: kube-dns
`;

const MANIFEST_COREFILE = ".:53 {\n    errors\n    forward . /etc/resolv.conf {\n       max_fails lots\n    }\n    cache 30\n    loop\n    reload\n    prometheus :9153\n}\n";

describe("Kubernetes manifests", () => {
  it("checks the Corefile of a ConfigMap manifest and points messages into the YAML", () => {
    const file = write("coredns.yaml", MANIFEST);
    const { code, stdout } = run(["check", file]);
    expect(code).toBe(1);
    // `lots` is on line 12 of the YAML, after 11 spaces of YAML and Corefile indentation and `max_fails `.
    expect(stdout).toContain(`${file}:12:22: error PLUGIN_INVALID_VALUE`);
    expect(stdout).toContain(`${file}: INVALID (1 errors, 0 warnings)`);
    const json = JSON.parse(run(["check", "--json", file]).stdout) as { files: { diagnostics: { code: string; line: number; column: number; endColumn: number }[] }[] };
    expect(json.files[0]?.diagnostics.find((d) => d.code === "PLUGIN_INVALID_VALUE")).toMatchObject({ line: 12, column: 22, endColumn: 26 });
  });

  it("hashes it as the pods will report it (read from /etc/coredns/Corefile)", () => {
    const file = write("coredns-hash.yaml", MANIFEST.replace("max_fails lots", "max_fails 3"));
    const expected = reloadHash(MANIFEST_COREFILE.replace("max_fails lots", "max_fails 3"), { filename: "/etc/coredns/Corefile" });
    expect(expected.ok).toBe(true);
    expect(run(["hash", file]).stdout).toBe(`${expected.ok ? expected.hash : ""}  ${file}\n`);
  });

  it("names each ConfigMap of a stream with several, and finds a manifest by its content too", () => {
    const second = MANIFEST.replace("name: coredns\n", "name: coredns-custom\n").replace("max_fails lots", "max_fails 2");
    const file = write("stream.txt", `${MANIFEST.replace("max_fails lots", "max_fails 1")}---\n${second}`);
    const { code, stdout } = run(["hash", file]);
    expect(code).toBe(0);
    const labels = stdout.trimEnd().split("\n").map((line) => line.slice(130));
    expect(labels).toEqual([`${file} (ConfigMap kube-system/coredns)`, `${file} (ConfigMap kube-system/coredns-custom)`]);
  });

  it("reads another key with --key, and says so when no ConfigMap has the key", () => {
    const file = write("keys.yaml", MANIFEST.replace("  Corefile: |", "  Corefile.main: |"));
    expect(run(["check", "--key", "Corefile.main", file]).stdout).toContain(`${file}:12:22: error PLUGIN_INVALID_VALUE`);
    const missing = run(["check", file]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no ConfigMap in this manifest has a "Corefile" key under data (choose another key with --key)');
  });

  it("maps a quoted Corefile value to where the value starts", () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coredns\ndata:\n  Corefile: ".:53 {\\n    forward . 1.1.1.1 {\\n        max_fails lots\\n    }\\n}\\n"\n';
    const file = write("quoted.yaml", text);
    expect(run(["check", file]).stdout).toContain(`${file}:6:13: error PLUGIN_INVALID_VALUE`);
  });

  it("reports YAML that does not parse as an input error", () => {
    const file = write("broken.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n  Corefile: |\n    .:53 {\n  - nope: [\n");
    const result = run(["check", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.yaml: not valid YAML \(line \d+\)/);
  });

  it("reads standard input for FILE -", () => {
    const fromStdin = run(["hash", "-"], {}, MANIFEST.replace("max_fails lots", "max_fails 3"));
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toMatch(/^[0-9a-f]{128} {2}<stdin>\n$/);
    expect(run(["check", "-"], {}, ".:53 {\n    whoami\n}\n").stdout).toContain("<stdin>: valid");
  });

  it("checks the formatting of a manifest's Corefile, but does not rewrite a manifest", () => {
    const formatted = write("fmt-ok.yaml", MANIFEST.replace("           max_fails", "            max_fails"));
    expect(run(["fmt", "--check", formatted])).toMatchObject({ code: 0, stdout: "" });
    const messy = write("fmt-messy.yaml", MANIFEST.replace("        errors\n", "        errors   \n          log\n"));
    expect(run(["fmt", "--check", messy])).toMatchObject({ code: 1, stdout: `${messy}: not formatted\n` });
    for (const mode of [["--write"], []]) {
      const result = run(["fmt", ...mode, messy]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("is a Kubernetes manifest");
    }
  });
});
