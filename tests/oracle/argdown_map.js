// Argdown's map (the `argdown map` pipeline up to "build-map") for many files in ONE node process.
//
// Usage: node argdown_map.js NODE_MODULES_DIR FILE...
// Prints {FILE: {nodes: [[type, title]], edges: [[fromType, fromTitle, toType, toTitle, relationType]], error}}
// where type is "statement" or "argument"; groups (sections) are flattened away.
"use strict";
const path = require("path");

function flatten(nodes, out) {
  for (const node of nodes) {
    if (node.type === "group-map-node") {
      flatten(node.children || [], out);
    } else {
      out.push(node);
    }
  }
  return out;
}

const kind = (node) => (node.type === "statement-map-node" ? "statement" : "argument");

async function main() {
  const { argdown } = require(path.resolve(process.argv[2], "@argdown", "node"));
  const out = {};
  for (const file of process.argv.slice(3)) {
    const response = {};
    const result = { nodes: [], edges: [], error: null };
    try {
      await argdown.runAsync({
        inputPath: path.resolve(file),
        process: ["load-file", "parse-input", "build-model", "build-map"],
        logLevel: "silent",
        throwExceptions: true,
      }, response);
      result.nodes = flatten(response.map.nodes, []).map((n) => [kind(n), n.title]);
      result.edges = response.map.edges.map((e) => [kind(e.from), e.from.title, kind(e.to), e.to.title, e.relationType]);
    } catch (e) {
      result.error = String((e && e.message) || e);
    }
    out[file] = result;
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  process.stderr.write(String((e && e.stack) || e) + "\n");
  process.exit(2);
});
