/** `npm run bench`: every benchmark in bench/, one after the other. */
await import("./corefile.bench");
console.log("");
await import("./apply.bench");
console.log("");
await import("./history.bench");
console.log("");
await import("./metrics-parser.bench");
export {};
