import { readFileSync } from "node:fs";
import path from "node:path";
import { writeFileSync } from "node:fs";
import { describeChain, renderChain } from "@/lib/corefile/chain";
import { formatCorefile } from "@/lib/corefile/format";
import { reloadHash } from "@/lib/corefile/reload-hash";
import { validateCorefile, type CorefileDiagnostic } from "@/lib/corefile/validate";
import { corefilesFromManifest, looksLikeManifest, MOUNT_DIR } from "./configmap-manifest";
import { readImportFiles } from "./read-import-files";

/** What the CLI talks to; tests pass their own. */
export type CliIo = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Reads standard input (for FILE "-"); default: file descriptor 0. */
  stdin?: () => string;
};

/** A command of the CLI: its arguments, the IO, and the exit code it returns. */
type Command = (args: string[], io: CliIo) => number;

export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

export const USAGE = `Usage: corefile <command> [options] FILE...

Commands:
  check [--json] [--coredns-version V] [--key K] FILE...   validate as CoreDNS would (exit 1 if any file is invalid)
  hash [--key K] FILE...                                   print the reload hash CoreDNS reports (sha512sum format)
  fmt [--check | --write] FILE...                          format in the canonical style (manifests: --check only)
  chain [--key K] FILE                                     list each server block's plugins in execution order

FILE is a Corefile, or a Kubernetes manifest (.yaml/.yml, or text starting with apiVersion/kind): then every
ConfigMap in it with the key K (default Corefile) is read as CoreDNS reads it from ${MOUNT_DIR}, and messages point
into the YAML. "-" reads standard input.

Exit codes: 0 success, 1 invalid input (or files that need formatting with --check), 2 usage or I/O error.
Environment variables are substituted in {$VAR} and {%VAR%} as CoreDNS does.`;

class UsageError extends Error {}

type LoadedFile = { name: string; absolute: string; text: string; files: Record<string, string> };

/**
 * One Corefile to work on: a bare Corefile file, or the Corefile of one ConfigMap of a manifest. `label` names it in
 * messages; `toSource` maps a Corefile position to the file the user edits (identity for a bare Corefile).
 */
type CorefileUnit = LoadedFile & {
  label: string;
  isManifest: boolean;
  toSource: (line: number, column: number) => { line: number; column: number };
};

function readSource(name: string, io: CliIo): { absolute: string; text: string } {
  if (name === "-") {
    try {
      return { absolute: path.resolve(io.cwd, "Corefile"), text: (io.stdin ?? (() => readFileSync(0, "utf8")))() };
    } catch (error) {
      throw new IoError(`standard input: ${(error as Error).message}`);
    }
  }
  const absolute = path.resolve(io.cwd, name);
  try {
    return { absolute, text: readFileSync(absolute, "utf8") };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new IoError(`${name}: ${reason}`);
  }
}

function loadFile(name: string, io: CliIo): LoadedFile {
  const { absolute, text } = readSource(name, io);
  return { name: name === "-" ? "<stdin>" : name, absolute, text, files: readImportFiles(absolute, text) };
}

/** The Corefiles of FILE: itself, or those of the ConfigMaps in it with key `key` (an error when there are none). */
function loadUnits(name: string, io: CliIo, key: string): CorefileUnit[] {
  const { absolute, text } = readSource(name, io);
  const shown = name === "-" ? "<stdin>" : name;
  if (!looksLikeManifest(name, text)) {
    const identity = (line: number, column: number) => ({ line, column });
    return [{ name: shown, absolute, text, files: readImportFiles(absolute, text), label: shown, isManifest: false, toSource: identity }];
  }
  const found = corefilesFromManifest(text, key);
  if (!found.ok) throw new IoError(`${shown}: ${found.error}`);
  if (found.corefiles.length === 0) {
    throw new IoError(`${shown}: no ConfigMap in this manifest has a "${key}" key under data (choose another key with --key)`);
  }
  return found.corefiles.map((corefile) => ({
    name: shown,
    absolute: `${MOUNT_DIR}/${key}`,
    text: corefile.text,
    files: corefile.files,
    label: found.corefiles.length === 1 ? shown : `${shown} (ConfigMap ${corefile.configMap})`,
    isManifest: true,
    toSource: corefile.toManifest,
  }));
}

class IoError extends Error {}

function takeFlag(args: string[], flag: string): boolean {
  const index = args.indexOf(flag);
  if (index === -1) return false;
  args.splice(index, 1);
  return true;
}

function takeOption(args: string[], option: string): string | undefined {
  const index = args.findIndex((arg) => arg === option || arg.startsWith(`${option}=`));
  if (index === -1) return undefined;
  const arg = args[index]!;
  if (arg.includes("=")) {
    args.splice(index, 1);
    return arg.slice(option.length + 1);
  }
  const value = args[index + 1];
  if (value === undefined || value.startsWith("--")) throw new UsageError(`${option} needs a value`);
  args.splice(index, 2);
  return value;
}

function requireFiles(args: string[]): string[] {
  const unknown = args.find((arg) => arg.startsWith("--"));
  if (unknown) throw new UsageError(`unknown option ${unknown}`);
  if (args.length === 0) throw new UsageError("no FILE given");
  return args;
}

function describe(d: CorefileDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`;
}

const check: Command = (rawArgs, io) => {
  const args = [...rawArgs];
  const asJson = takeFlag(args, "--json");
  const corednsVersion = takeOption(args, "--coredns-version");
  if (corednsVersion !== undefined && !/^v?\d+\.\d+\.\d+$/.test(corednsVersion)) {
    throw new UsageError(`--coredns-version must look like 1.14.7, got "${corednsVersion}"`);
  }
  const key = takeOption(args, "--key") ?? "Corefile";
  const names = requireFiles(args);
  const units = names.flatMap((name) => loadUnits(name, io, key));
  let anyInvalid = false;
  const report = units.map((unit) => {
    const result = validateCorefile(unit.text, {
      filename: unit.absolute,
      env: io.env,
      files: unit.files,
      ...(corednsVersion ? { corednsVersion } : {}),
    });
    if (!result.ok) anyInvalid = true;
    const diagnostics = result.diagnostics.map((d) => {
      if (d.file !== unit.absolute) return d;
      const from = unit.toSource(d.line, d.column);
      const to = unit.toSource(d.endLine, d.endColumn);
      return { ...d, file: unit.label, line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
    });
    return { file: unit.label, valid: result.ok, diagnostics };
  });
  if (asJson) {
    const files = report.map((entry) => ({
      file: entry.file,
      valid: entry.valid,
      diagnostics: entry.diagnostics.map(({ code, severity, message, line, column, endLine, endColumn, file }) => ({
        code,
        severity,
        message,
        line,
        column,
        endLine,
        endColumn,
        ...(file !== entry.file ? { file } : {}),
      })),
    }));
    io.stdout(`${JSON.stringify({ files }, null, 2)}\n`);
  } else {
    for (const entry of report) {
      for (const d of entry.diagnostics) io.stdout(`${describe(d)}\n`);
      const errors = entry.diagnostics.filter((d) => d.severity === "error").length;
      const warnings = entry.diagnostics.filter((d) => d.severity === "warning").length;
      io.stdout(`${entry.file}: ${entry.valid ? "valid" : "INVALID"} (${errors} errors, ${warnings} warnings)\n`);
    }
  }
  return anyInvalid ? EXIT_INVALID : EXIT_OK;
};

const hash: Command = (rawArgs, io) => {
  const args = [...rawArgs];
  const key = takeOption(args, "--key") ?? "Corefile";
  const names = requireFiles(args);
  let failed = false;
  for (const name of names) {
    let units: CorefileUnit[];
    try {
      units = loadUnits(name, io, key);
    } catch (error) {
      if (!(error instanceof IoError)) throw error;
      io.stderr(`${error.message}\n`);
      failed = true;
      continue;
    }
    for (const unit of units) {
      const result = reloadHash(unit.text, { filename: unit.absolute, env: io.env, files: unit.files });
      if (result.ok) {
        io.stdout(`${result.hash}  ${unit.label}\n`);
      } else {
        io.stderr(`${unit.label}: ${result.error.corednsMessage ?? result.error.message}\n`);
        failed = true;
      }
    }
  }
  return failed ? EXIT_INVALID : EXIT_OK;
};

const chain: Command = (rawArgs, io) => {
  const args = [...rawArgs];
  const key = takeOption(args, "--key") ?? "Corefile";
  const names = requireFiles(args);
  if (names.length !== 1) throw new UsageError("chain takes exactly one FILE");
  const units = loadUnits(names[0]!, io, key);
  units.forEach((unit, i) => {
    const described = describeChain(unit.text, { filename: unit.absolute, env: io.env, files: unit.files });
    if (units.length > 1) io.stdout(`${i > 0 ? "\n" : ""}# ${unit.label}\n`);
    io.stdout(`${renderChain(described).split(unit.absolute).join(unit.label)}\n`);
  });
  return EXIT_OK;
};

const fmt: Command = (rawArgs, io) => {
  const args = [...rawArgs];
  const isCheck = takeFlag(args, "--check");
  const isWrite = takeFlag(args, "--write");
  if (isCheck && isWrite) throw new UsageError("use either --check or --write");
  const names = requireFiles(args);
  if (!isCheck && !isWrite && names.length > 1) throw new UsageError("formatting to stdout takes one FILE; use --write or --check for several");
  let needsFormatting = false;
  for (const name of names) {
    const file = loadFile(name, io);
    if (looksLikeManifest(name, file.text)) {
      if (!isCheck) {
        throw new IoError(`${file.name} is a Kubernetes manifest: fmt rewrites bare Corefiles only (fmt --check, check, hash and chain read manifests)`);
      }
      // --check: say which ConfigMaps hold a Corefile that is not in the canonical style.
      for (const unit of loadUnits(name, io, "Corefile")) {
        const result = formatCorefile(unit.text);
        if (result.skipped) {
          const at = unit.toSource(result.skipped.line, result.skipped.column);
          io.stderr(`${unit.label}:${at.line}:${at.column}: not formatted: ${result.skipped.reason}\n`);
          needsFormatting = true;
        } else if (result.changed) {
          io.stdout(`${unit.label}: not formatted\n`);
          needsFormatting = true;
        }
      }
      continue;
    }
    if (isWrite && name === "-") throw new UsageError("--write needs a file, not standard input");
    const result = formatCorefile(file.text);
    if (result.skipped) {
      io.stderr(`${name}:${result.skipped.line}:${result.skipped.column}: not formatted: ${result.skipped.reason}\n`);
      needsFormatting = true;
    }
    if (isCheck) {
      if (result.changed) {
        io.stdout(`${name}: not formatted\n`);
        needsFormatting = true;
      }
    } else if (isWrite) {
      if (result.changed) {
        try {
          writeFileSync(file.absolute, result.text);
        } catch (error) {
          throw new IoError(`${name}: ${(error as Error).message}`);
        }
        io.stdout(`${name}: formatted\n`);
      }
    } else {
      io.stdout(result.text);
    }
  }
  return needsFormatting ? EXIT_INVALID : EXIT_OK;
};

const COMMANDS: Record<string, Command> = { check, hash, chain, fmt };

/** Registers another command (fmt, chain) from the module that implements it. */
export function registerCommand(name: string, command: Command): void {
  COMMANDS[name] = command;
}

/** Runs the `corefile` CLI with `argv` (without node and script) and returns the exit code. */
export function runCorefileCli(argv: string[], io: CliIo): number {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    (name ? io.stdout : io.stderr)(`${USAGE}\n`);
    return name ? EXIT_OK : EXIT_USAGE;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`corefile: unknown command "${name}"\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  try {
    return command(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`corefile ${name}: ${error.message}\n\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof IoError) {
      io.stderr(`corefile ${name}: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
