/** `npm run bench`: every benchmark in bench/, one after the other. */
await import("./corefile.bench");
console.log("");
await import("./apply.bench");
console.log("");
await import("./history.bench");
console.log("");
await import("./metrics-parser.bench");
console.log("");
await import("./metrics-storage.bench");
console.log("");
await import("./metrics-scrape.bench");
console.log("");
await import("./explain.bench");
console.log("");
// The board bench renders client components with react-dom/server, which the react-server condition above rules
// out: it runs in its own process, without that condition.
const { execFileSync } = await import("node:child_process");
execFileSync(process.execPath, ["--import", "tsx", "bench/board.bench.ts"], { stdio: "inherit", cwd: new URL("..", import.meta.url) });
export {};
