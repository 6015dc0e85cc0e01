const isDev = process.env.NODE_ENV !== "production";

/**
 * Content-Security-Policy. Scripts: Next's own inline bootstrap and the theme script need 'unsafe-inline' (no nonces:
 * every page is dynamic, but nonces would also have to reach Monaco's loader); nothing loads from another origin.
 * Workers: Monaco's and the board's workers are bundled files ('self'); blob: covers Monaco's fallback. Styles:
 * Monaco and uPlot set inline styles. Frames: none, and no one may frame Coredeck.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS = [
  { key: "Content-Security-Policy", value: CONTENT_SECURITY_POLICY },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
];

/** Hosts that may send Server Actions besides the request's own (COREDECK_PUBLIC_URL, COREDECK_ALLOWED_ORIGINS). */
function allowedActionOrigins() {
  const hosts = [];
  for (const value of [process.env.COREDECK_PUBLIC_URL, ...(process.env.COREDECK_ALLOWED_ORIGINS ?? "").split(",")]) {
    try {
      if (value && value.trim()) hosts.push(new URL(value.trim()).host);
    } catch {
      // lib/auth/config.ts reports a malformed value with the variable's name at start-up.
    }
  }
  return hosts;
}

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
  experimental: { serverActions: { bodySizeLimit: "3mb", allowedOrigins: allowedActionOrigins() } },
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
};

export default nextConfig;
