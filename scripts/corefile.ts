/** `npm run -s corefile -- <command> ...`: check, hash, format and explain Corefiles in CI pipelines. */
import { runCorefileCli } from "@/lib/cli/corefile-cli";

const code = runCorefileCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
