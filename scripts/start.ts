/**
 * `npm start`: serves an existing build against the clusters of the environment (KUBECONFIG contexts,
 * or the pod's service account in-cluster). Migrations and cluster registration run in
 * instrumentation.ts as the server starts. Environment: PORT (3000), HOST (127.0.0.1).
 */
import { existsSync } from "node:fs";
import { buildNext, handleShutdown, startNext, waitForHttp } from "./run-next";

const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 3000);

if (!existsSync(".next/BUILD_ID")) buildNext();
const child = startNext({ host, port });
handleShutdown(child, async () => undefined);
await waitForHttp(`http://${host}:${port}`);
console.log(`coredeck: the dashboard is ready at http://${host}:${port}`);
