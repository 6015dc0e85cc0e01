/**
 * Deterministic, realistic Corefiles of any size for the benchmarks: many server blocks with the
 * directives platform teams use (kubernetes, forward with options, hosts tables, rewrite rules,
 * cache, template), comments and blank lines.
 */
export function generateCorefile(targetBytes: number): string {
  const parts: string[] = [];
  let size = 0;
  let index = 0;
  while (size < targetBytes) {
    const block = generateBlock(index++);
    parts.push(block);
    size += block.length;
  }
  return parts.join("");
}

/** A Corefile of about `lines` lines, shaped like a large real one (what the editor re-checks per keystroke). */
export function generateCorefileOfLines(lines: number): string {
  const out: string[] = [];
  let index = 0;
  while (out.length < lines) out.push(...generateBlock(index++).split("\n").slice(0, -1));
  return `${out.slice(0, lines).join("\n")}\n`;
}

function generateBlock(i: number): string {
  const zone = `zone${i}.example.com`;
  const hosts = Array.from({ length: 8 }, (_, h) => `        10.${i % 250}.${h}.${(i * 7 + h) % 250} host${h}.${zone}`).join("\n");
  return `# Server block ${i}: stub domain for team ${i % 40}
${zone}:${5300 + (i % 100)} {
    errors
    log . "{remote} {type} {name} {rcode}"
    hosts {
${hosts}
        ttl 60
        fallthrough
    }
    rewrite name regex (.*)\\.svc\\.${zone} {1}.default.svc.cluster.local answer auto
    template IN TXT ${zone} {
        answer "{{ .Name }} 60 IN TXT \\"generated ${i}\\""
    }
    forward . 10.96.${i % 250}.10:53 10.96.${i % 250}.11:53 {
        max_fails 3
        expire 10s
        health_check 5s
        policy round_robin
    }
    cache 30 {
        success 9984 30
        denial 9984 5
        prefetch 10 1m 10%
    }
    prometheus :9153
    loadbalance
}

`;
}
