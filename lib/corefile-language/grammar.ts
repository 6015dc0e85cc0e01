/**
 * Syntax colouring and editing rules for Corefiles, as plain data an editor consumes: a Monarch tokenizer definition
 * (Monaco's declarative highlighter) and a language configuration (comments, brackets, auto-closing, indentation).
 *
 * Monarch works line by line with a stack of states, which is enough for the Corefile's shape: at the top level words
 * are server-block keys; the first word of a line inside a server block is a directive; the first word of a line inside
 * a directive's `{ }` is an option. Braces count only as whole words, as in caddy (`a{` is one word).
 */
import { DIRECTIVES } from "@/lib/corefile";
import { PLUGIN_CATALOG } from "@/lib/corefile/plugins";

/** The language id the editor registers. */
export const COREFILE_LANGUAGE_ID = "corefile";

/** Every option name of every plugin (for colouring; which plugin owns which option is the completion's business). */
const OPTION_NAMES: readonly string[] = [...new Set(PLUGIN_CATALOG.flatMap((p) => p.options.map((o) => o.name)))].sort();

/** A word ends at whitespace, a comment or the end of the line. */
const WORD_END = /(?=[\s#]|$)/.source;

/**
 * Token names (the editor's theme colours them by prefix):
 * `type.key` server-block keys · `type.snippet` snippet names · `keyword.directive` known directives ·
 * `identifier.directive` unknown directives · `keyword.import` · `attribute.name.option` known options ·
 * `identifier.option` other first words in a block · `string`, `string.escape`, `string.quote` · `comment` ·
 * `string.env` `{$VAR}` / `{%VAR%}` · `delimiter.curly` braces · `number`, `number.duration`, `number.port`,
 * `number.ip` values · `identifier` any other word · `string.word` a word with braces inside (`{combined}`, `a{`).
 *
 * Editors match and colour brackets outside strings and comments only. A brace inside a word is no block brace for
 * caddy, so those words and the env placeholders are string-class tokens (`string.*`): only real blocks pair up.
 */
export const COREFILE_MONARCH = {
  defaultToken: "",
  tokenPostfix: ".corefile",
  directives: [...DIRECTIVES],
  options: OPTION_NAMES,
  brackets: [{ open: "{", close: "}", token: "delimiter.curly" }],
  tokenizer: {
    root: [
      [/^(\s*)(import)(?=\s|$)/, ["white", "keyword.import"]],
      [/^(\s*)(\([^\s)]*\))/, ["white", "type.snippet"]],
      { include: "@trivia" },
      { include: "@env" },
      [new RegExp(`\\{${WORD_END}`), { token: "delimiter.curly", bracket: "@open", next: "@serverBody" }],
      [new RegExp(`\\}${WORD_END}`), { token: "delimiter.curly", bracket: "@close" }],
      [/"/, { token: "string.quote", next: "@string" }],
      [/[^\s#"{}]+(?=[\s#"]|$)/, "type.key"],
      [/[^\s#"]+/, "string.key"],
    ],
    serverBody: [
      [new RegExp(`^(\\s*)(\\})${WORD_END}`), ["white", { token: "delimiter.curly", bracket: "@close", next: "@pop" }]],
      [/^(\s*)(import)(?=\s|$)/, ["white", "keyword.import"]],
      [
        /^(\s*)([^\s#"{}]+)/,
        ["white", { cases: { "@directives": "keyword.directive", "@default": "identifier.directive" } }],
      ],
      { include: "@args" },
    ],
    block: [
      [new RegExp(`^(\\s*)(\\})${WORD_END}`), ["white", { token: "delimiter.curly", bracket: "@close", next: "@pop" }]],
      [
        /^(\s*)([^\s#"{}]+)/,
        [
          "white",
          {
            cases: {
              "@options": "attribute.name.option",
              "~(?:(\\d{1,3}\\.){3}\\d{1,3}|[0-9a-fA-F]*:[0-9a-fA-F:.]*)": "number.ip",
              "@default": "identifier.option",
            },
          },
        ],
      ],
      { include: "@args" },
    ],
    args: [
      { include: "@trivia" },
      { include: "@env" },
      [new RegExp(`\\{${WORD_END}`), { token: "delimiter.curly", bracket: "@open", next: "@block" }],
      [new RegExp(`\\}${WORD_END}`), { token: "delimiter.curly", bracket: "@close", next: "@pop" }],
      [/"/, { token: "string.quote", next: "@string" }],
      [new RegExp(`(?:[a-z][a-z0-9+]*://)?(?:\\d{1,3}\\.){3}\\d{1,3}(?:/\\d{1,2})?(?::\\d+)?${WORD_END}`), "number.ip"],
      [new RegExp(`(?:[a-z][a-z0-9+]*://)?\\[?[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}\\]?(?:/\\d{1,3})?(?::\\d+)?${WORD_END}`), "number.ip"],
      [new RegExp(`(?:\\d+(?:\\.\\d+)?(?:ns|us|µs|ms|s|m|h))+${WORD_END}`), "number.duration"],
      [new RegExp(`:\\d+${WORD_END}`), "number.port"],
      [new RegExp(`-?\\d+(?:\\.\\d+)?%?${WORD_END}`), "number"],
      [/[^\s#"{}]+(?=[\s#"]|$)/, "identifier"],
      [/[^\s#"]+/, "string.word"],
    ],
    trivia: [
      [/[ \t\r\n]+/, "white"],
      [/#.*$/, "comment"],
    ],
    env: [
      [/\{\$[^}\s]*\}/, "string.env"],
      [/\{%[^%\s]*%\}/, "string.env"],
    ],
    string: [
      [/\{\$[^}\s"]*\}|\{%[^%\s"]*%\}/, "string.env"],
      [/[^\\"{]+/, "string"],
      [/\{/, "string"],
      [/\\"/, "string.escape"],
      [/\\./, "string"],
      [/\\$/, "string"],
      [/"/, { token: "string.quote", next: "@pop" }],
    ],
  },
} as const;

/** Comments, brackets, auto-closing pairs, indentation and what counts as a word. */
export const COREFILE_LANGUAGE_CONFIGURATION = {
  comments: { lineComment: "#" },
  brackets: [["{", "}"]] as [string, string][],
  autoClosingPairs: [
    { open: "{", close: "}" },
    { open: '"', close: '"', notIn: ["string", "comment"] },
  ],
  surroundingPairs: [
    { open: "{", close: "}" },
    { open: '"', close: '"' },
  ],
  indentationRules: {
    increaseIndentPattern: /(^|\s)\{\s*(#.*)?$/,
    decreaseIndentPattern: /^\s*\}/,
  },
  // A Corefile word runs to whitespace: `in-addr.arpa`, `:9153`, `tls://9.9.9.9` are single words.
  wordPattern: /[^\s{}"#]+/,
};
