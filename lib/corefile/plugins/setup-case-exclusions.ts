/**
 * Setup cases (corpus `setup-cases/*.json`) whose expected outcome depends on the machine CoreDNS's tests ran on,
 * not on the Corefile text: files that exist (or not) in the test directory, DNS resolution, certificates, GeoIP
 * fixture databases, network interfaces, fake cloud clients. A static validator cannot (and must not) reproduce
 * those, so they are left out of the agreement figure. Each entry names the case by file and index and says why.
 * Cases whose machine-dependent part happened to succeed on the test machine (existing certificate files, the `lo`
 * interface, fake cloud clients) are kept: the validator accepts them, as CoreDNS did.
 */

export type ExclusionReason =
  /** The outcome depends on whether a file exists, or on its content. */
  | "file"
  /** The outcome depends on resolving a host name over the network. */
  | "network"
  /** The outcome depends on the content of a fixture database (GeoIP mmdb, DNSSEC key files). */
  | "fixture-db"
  /** The outcome depends on the network interfaces of the test machine. */
  | "interface";

export interface SetupCaseExclusion {
  /** The corpus file, e.g. `forward.json`. */
  file: string;
  /** Index of the case in that file. */
  index: number;
  reason: ExclusionReason;
  why: string;
}

export const SETUP_CASE_EXCLUSIONS: readonly SetupCaseExclusion[] = [
  // --- files ---------------------------------------------------------------------------------------------------------
  { file: "root.json", index: 3, reason: "file", why: "`root` fails only because the test makes the parent directory unreadable (permission error from os.Stat)." },
  { file: "autopath.json", index: 4, reason: "file", why: "`autopath kubernetes` reads a resolv.conf file named `kubernetes`, which does not exist in the test directory." },
  { file: "forward.json", index: 56, reason: "file", why: "The TO is a resolv.conf-style file created by the test with no nameserver lines (no valid upstream addresses)." },
  { file: "grpc.json", index: 13, reason: "file", why: "`a27.0.0.1` is not an IP, so grpc reads it as a resolv.conf file, which does not exist on the test machine." },
  { file: "clouddns.json", index: 13, reason: "file", why: "The credentials file created by the test has an unsupported `type`." },
  { file: "clouddns.json", index: 14, reason: "file", why: "The credentials file created by the test is empty." },
  { file: "clouddns.json", index: 15, reason: "file", why: "The credentials file created by the test is not valid JSON." },
  { file: "tls.json", index: 8, reason: "file", why: "`ca_root missing.pem` fails because the file does not exist." },
  { file: "tls.json", index: 29, reason: "file", why: "The keylog file is in a directory that does not exist on the test machine." },
  { file: "sign.json", index: 2, reason: "file", why: "The key files /etc/coredns/keys/Kexample.org.{key,private} do not exist on the test machine." },
  // --- network -------------------------------------------------------------------------------------------------------
  { file: "forward.json", index: 34, reason: "network", why: "`a27.0.0.1` is a syntactically valid host name; the error comes from failing to resolve it at startup." },
  // --- fixture databases ---------------------------------------------------------------------------------------------
  { file: "geoip.json", index: 12, reason: "fixture-db", why: "The database file /invalidPath does not exist." },
  { file: "geoip.json", index: 13, reason: "fixture-db", why: "The test database has a type (UnknownDbType) the MaxMind reader does not support." },
  { file: "dnssec.json", index: 6, reason: "fixture-db", why: "The owner name inside the key file (cluster.local) does not match the signed zone; only visible by reading the key." },
  // --- interfaces ----------------------------------------------------------------------------------------------------
  { file: "bind.json", index: 5, reason: "interface", why: "`noone` is a well-formed interface name; it fails because the test machine has no such interface." },
];

/**
 * Cases of `rewrite-newRule.json` left out, by index. None: newRule never touches the machine. (The two cases whose
 * arguments carry invalid UTF-8 bytes fail in CoreDNS for another reason too, which the validator finds.)
 */
export const NEWRULE_EXCLUSIONS: readonly SetupCaseExclusion[] = [];

const KEYS = new Set(SETUP_CASE_EXCLUSIONS.map((e) => `${e.file}#${e.index}`));
const NEWRULE_KEYS = new Set(NEWRULE_EXCLUSIONS.map((e) => e.index));

export function isExcluded(file: string, index: number): boolean {
  return KEYS.has(`${file}#${index}`);
}

export function isNewRuleExcluded(index: number): boolean {
  return NEWRULE_KEYS.has(index);
}
