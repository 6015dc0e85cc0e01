/** @type {import('next').NextConfig} */
const nextConfig = {
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
