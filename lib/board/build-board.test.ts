import { describe, expect, it } from "vitest";
import { applyEdits } from "@/lib/corefile";
import { buildBoard } from "./build-board";
import type { Board, DirectiveCard, ServerBlockCard } from "./types";

function blocks(board: Board): ServerBlockCard[] {
  return board.items.filter((i): i is ServerBlockCard => i.kind === "server");
}

function directives(block: ServerBlockCard | undefined): DirectiveCard[] {
  return (block?.items ?? []).filter((i): i is DirectiveCard => i.kind === "directive");
}

const COREFILE = `(common) {
    errors
    log
}

# the default zone
.:53 {
    import common
    # cluster names
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }

    forward . /etc/resolv.conf # upstream
    cache 30
    prometheus :9153
    reload
}

tls://example.org grpc://example.net:8443 {
    whoami
}
import extra/*.server
`;

describe("buildBoard", () => {
  const board = buildBoard(COREFILE);
  const [main, tls] = blocks(board);

  it("lists snippets, server blocks and top-level imports in text order", () => {
    expect(board.status).toBe("ok");
    expect(board.items.map((i) => i.kind)).toEqual(["snippet", "server", "server", "import"]);
    const snippet = board.items[0];
    expect(snippet?.kind === "snippet" && snippet.directives).toEqual(["errors", "log"]);
    expect(snippet?.kind === "snippet" && snippet.usedBy).toEqual([main?.id]);
    expect(board.items[3]?.kind === "import" && board.items[3].target).toBe("extra/*.server");
  });

  it("reads keys as written and normalised", () => {
    expect(main?.keys).toEqual([{ text: ".:53", transport: "dns", zones: ["."], port: "53" }]);
    expect(tls?.keys.map((k) => [k.transport, k.zones, k.port])).toEqual([
      ["tls", ["example.org."], "853"],
      ["grpc", ["example.net."], "8443"],
    ]);
    expect(tls?.title).toBe("tls://example.org grpc://example.net:8443");
  });

  it("lists directives in text order with args, options, comments and catalog facts", () => {
    expect(main?.items.map((i) => (i.kind === "import" ? `import ${i.target}` : i.name))).toEqual([
      "import common",
      "kubernetes",
      "forward",
      "cache",
      "prometheus",
      "reload",
    ]);
    const k = directives(main)[0];
    expect(k?.args).toEqual(["cluster.local", "in-addr.arpa", "ip6.arpa"]);
    expect(k?.hasBlock).toBe(true);
    expect(k?.options).toEqual([
      { name: "pods", args: ["insecure"] },
      { name: "fallthrough", args: ["in-addr.arpa", "ip6.arpa"] },
    ]);
    expect(k?.comments).toEqual(["# cluster names"]);
    expect(k?.group).toBe("kubernetes");
    expect(k?.summary.length).toBeGreaterThan(10);
    // The full range starts at the comment line, the range at the name.
    expect(COREFILE.slice(k?.fullRange.start, k?.range.start).trim()).toBe("# cluster names");
    const fwd = directives(main)[1];
    expect(fwd?.comments).toEqual(["# upstream"]);
    expect(fwd?.range.startLine).toBe(15);
    expect(fwd?.range.startColumn).toBe(5);
    const imp = main?.items[0];
    expect(imp?.kind === "import" && imp.snippet).toBe("common");
  });

  it("a comment separated by a blank line belongs to no directive", () => {
    const b = buildBoard(". {\n    # section\n\n    whoami\n}\n");
    expect(directives(blocks(b)[0])[0]?.comments).toEqual([]);
  });

  it("orders the pipeline as CoreDNS runs it, with roles and fallthrough", () => {
    expect(main?.pipeline.map((s) => s.name)).toEqual(["reload", "prometheus", "errors", "log", "cache", "kubernetes", "forward"]);
    const byName = new Map(main?.pipeline.map((s) => [s.name, s]));
    expect(byName.get("reload")?.step).toBeUndefined();
    expect(byName.get("reload")?.roles).toEqual(["setting"]);
    expect(byName.get("prometheus")?.step).toBe(1);
    expect(byName.get("errors")?.imported).toBe(true);
    expect(byName.get("errors")?.directiveIds).toEqual([]);
    expect(byName.get("kubernetes")?.roles).toEqual(["answers", "falls-through"]);
    expect(byName.get("kubernetes")?.hasFallthrough).toBe(true);
    expect(byName.get("forward")?.roles).toContain("forwards");
    expect(byName.get("cache")?.roles).toEqual(["answers", "passes-through"]);
    expect(byName.get("forward")?.directiveIds).toEqual([directives(main)[1]?.id]);
  });

  it("notes when the text order differs from the execution order (settings left out)", () => {
    expect(main?.textOrderDiffers).toBe(true);
    expect(main?.orderNote).toContain("prometheus → errors → log → cache → kubernetes → forward");
    const sorted = buildBoard(". {\n    errors\n    cache\n    forward . 1.1.1.1\n    reload\n}\n");
    expect(blocks(sorted)[0]?.textOrderDiffers).toBe(false);
  });

  it("flags unknown directives", () => {
    const b = buildBoard(". {\n    proxy . 8.8.8.8\n    whoami\n}\n");
    expect(b.status).toBe("ok");
    expect(b.corednsError?.code).toBe("UNKNOWN_DIRECTIVE");
    const d = directives(blocks(b)[0])[0];
    expect(d?.isUnknown).toBe(true);
    expect(d?.group).toBeUndefined();
    expect(blocks(b)[0]?.unknownPlugins).toEqual(["proxy"]);
  });

  it("marks directives that share a line as not movable", () => {
    const b = buildBoard(". { whoami\n    log\n}\n");
    expect(directives(blocks(b)[0]).map((d) => d.canMove)).toEqual([false, true]);
  });
});

describe("read-only boards", () => {
  it.each([
    [". {\n    whoami\n", "UNMATCHED_BRACE", 2],
    [". {\n    whoami }\n}\n", "UNEXPECTED_CLOSE_BRACE", 2],
    [". {\n    forward . 1.1.1.1 {\n        max_fails 2\n", "UNEXPECTED_EOF", 3],
    // The open quote swallows the rest of the file, so the block is never closed.
    ['. {\n    log . "{common}\n}\n', "UNMATCHED_BRACE", 2],
  ])("%j is read-only with %s", (text, code, line) => {
    const b = buildBoard(text);
    expect(b.status).toBe("read-only");
    expect(b.items).toEqual([]);
    expect(b.error?.code).toBe(code);
    expect(b.error?.line).toBe(line);
    expect(b.error?.message.length).toBeGreaterThan(0);
  });

  it("a block CoreDNS accepts although its braces do not pair up is read-only too", () => {
    const b = buildBoard(". {\n    forward . 1.1.1.1 {\n        max_fails 2\n    }\n");
    expect(b.status).toBe("read-only");
    expect(b.error).toMatchObject({ code: "UNBALANCED_BRACES", line: 1 });
  });

  it("is serialisable", () => {
    const b = buildBoard(COREFILE);
    expect(JSON.parse(JSON.stringify(b))).toEqual(b);
  });
});

describe("ids", () => {
  it("survive an unrelated edit elsewhere in the file", () => {
    const before = buildBoard(COREFILE);
    // Insert a comment and a directive in another block, and change the forward's arguments.
    const edited = applyEdits(COREFILE, [
      { start: 0, end: 0, newText: "# header\n\n" },
      { start: COREFILE.indexOf("    whoami"), end: COREFILE.indexOf("    whoami"), newText: "    log\n" },
      { start: COREFILE.indexOf("/etc/resolv.conf"), end: COREFILE.indexOf("/etc/resolv.conf") + 16, newText: "8.8.8.8" },
    ]);
    const after = buildBoard(edited);
    const ids = (b: Board) => blocks(b).map((bl) => [bl.id, directives(bl).map((d) => d.id)]);
    const [m0, t0] = ids(before);
    const [m1, t1] = ids(after);
    expect(m1).toEqual(m0);
    expect(t1?.[0]).toEqual(t0?.[0]);
    expect((t1?.[1] as string[]).includes((t0?.[1] as string[])[0] as string)).toBe(true);
  });

  it("are unique, also for identical directives and blocks with the same keys", () => {
    const b = buildBoard(". {\n    log\n    log\n    forward . 1.1.1.1\n    forward . 1.1.1.1\n}\n. {\n    log\n}\n");
    const all = blocks(b).flatMap((bl) => [bl.id, ...bl.items.map((i) => i.id)]);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe("order sensitivity", () => {
  const cases: [string, string][] = [
    ["forward", "    forward example.org 10.0.0.1\n    forward . 8.8.8.8\n"],
    ["rewrite", "    rewrite name a.example.org b.example.org\n    rewrite name b.example.org c.example.org\n"],
    ["template", "    template IN A example.org {\n        answer \"{{ .Name }} 60 IN A 10.0.0.1\"\n    }\n    template IN ANY example.org {\n        rcode NXDOMAIN\n    }\n"],
    ["acl", "    acl {\n        block net 10.0.0.0/8\n    }\n    acl {\n        allow net 10.0.0.0/16\n    }\n"],
    ["log", "    log example.org\n    log\n"],
    ["header", "    header {\n        response set ra\n    }\n    header {\n        response clear ra\n    }\n"],
  ];

  it.each(cases)("marks several %s directives and the block", (name, body) => {
    const b = buildBoard(`. {\n${body}    whoami\n}\n`);
    const block = blocks(b)[0];
    expect(block?.orderGroups.map((g) => g.name)).toEqual([name]);
    const marked = directives(block).filter((d) => d.orderSensitive);
    expect(marked.map((d) => d.name)).toEqual([name, name]);
    expect(block?.orderGroups[0]?.directiveIds).toEqual(marked.map((d) => d.id));
    expect(marked[0]?.orderSensitive?.note.length).toBeGreaterThan(20);
  });

  it("does not mark a single forward, or repeated plugins whose order does not matter", () => {
    const b = buildBoard(". {\n    forward . 8.8.8.8\n    dnstap /tmp/a.sock\n    dnstap /tmp/b.sock\n    bind 127.0.0.1\n    bind ::1\n}\n");
    expect(blocks(b)[0]?.orderGroups).toEqual([]);
    expect(directives(blocks(b)[0]).some((d) => d.orderSensitive)).toBe(false);
  });

  it("counts occurrences brought in by a snippet", () => {
    const b = buildBoard("(up) {\n    forward example.org 10.0.0.1\n}\n. {\n    import up\n    forward . 8.8.8.8\n}\n");
    const block = blocks(b)[0];
    expect(block?.orderGroups[0]?.name).toBe("forward");
    expect(block?.orderGroups[0]?.directiveIds).toHaveLength(1);
  });

  it("groups server blocks on the same listener told apart by view", () => {
    const text = `. {
    view internal {
        expr incidr(client_ip(), '10.0.0.0/8')
    }
    whoami
}

.:53 {
    forward . 8.8.8.8
}

example.org {
    whoami
}
`;
    const b = buildBoard(text);
    const [a, c, other] = blocks(b);
    expect(a?.viewGroup?.key).toBe("dns://.:53");
    expect(a?.viewGroup?.blockIds).toEqual([a?.id, c?.id]);
    expect(c?.viewGroup).toEqual(a?.viewGroup);
    expect(other?.viewGroup).toBeUndefined();
  });
});
