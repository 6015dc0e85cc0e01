/** `npm run bench`: every benchmark in bench/, one after the other. */
await import("./corefile.bench");
export {};
