/** @type {import('next').NextConfig} */
const nextConfig = {
  // The container image (Dockerfile) runs Next's standalone server: `.next/standalone/server.js` with only the
  // traced node_modules. The build sets COREDECK_STANDALONE=1; `npm run demo`, `npm start` and the e2e tests keep
  // `next start`, which warns under standalone output, and skip the extra tracing and copying.
  output: process.env.COREDECK_STANDALONE === "1" ? "standalone" : undefined,
  // Native and Node-heavy packages stay outside the server bundle.
  serverExternalPackages: ["better-sqlite3", "@kubernetes/client-node", "@prisma/adapter-better-sqlite3"],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // Type checking and linting run in `npm test`; the build does not repeat them.
  typescript: { ignoreBuildErrors: true },
  // A draft or an apply carries up to two 1 MiB Corefiles (the ConfigMap limit); the default is 1 MB.
  experimental: { serverActions: { bodySizeLimit: "3mb" } },
};

export default nextConfig;
