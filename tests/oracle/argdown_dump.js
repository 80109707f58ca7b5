// Runs the Argdown CLI's own pipeline (the `argdown json` command) on many files in ONE node process.
//
// Usage: node argdown_dump.js NODE_MODULES_DIR FILE...
// Prints one JSON object: {FILE: {ok, json, frontMatter, errors: [{line, column, message}], exception}}.
//
// Why not the CLI binary itself: its JSON output leaves out the front matter, reports syntax errors only as
// coloured text, and costs a node start per file. This script loads the same @argdown/node application the
// CLI uses and runs the same processors as `argdown json FILE --stdout` ("load-file", "parse-input",
// "build-model", "export-json"; "colorize" only adds colours). A file counts as rejected exactly when the CLI
// would exit 1: parser errors, or a plugin exception (e.g. invalid YAML in a data block).
"use strict";
const path = require("path");

async function main() {
  const modules = process.argv[2];
  const { argdown } = require(path.join(modules, "@argdown", "node"));
  const files = process.argv.slice(3);
  const out = {};
  for (const file of files) {
    const result = { ok: false, json: null, frontMatter: null, errors: [], exception: null };
    const response = {};
    try {
      await argdown.runAsync({
        inputPath: path.resolve(file),
        process: ["load-file", "parse-input", "build-model", "export-json"],
        logLevel: "silent",
        throwExceptions: true,
      }, response);
    } catch (e) {
      result.exception = String((e && e.message) || e);
    }
    for (const error of response.parserErrors || []) {
      let token = error.token;
      if (token && token.tokenType && token.tokenType.name === "EOF" && error.previousToken) {
        token = error.previousToken; // what LogParserErrorsPlugin prints for an error at the end
      }
      result.errors.push({
        line: token ? token.startLine : null,
        column: token ? token.startColumn : null,
        message: error.message,
      });
    }
    if (result.errors.length === 0 && result.exception === null) {
      result.ok = true;
      result.json = JSON.parse(response.json);
      result.frontMatter = response.frontMatter === undefined ? null : response.frontMatter;
    }
    out[file] = result;
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  process.stderr.write(String((e && e.stack) || e) + "\n");
  process.exit(2);
});
