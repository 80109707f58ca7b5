// Parses Mermaid diagrams with Mermaid's own parser, for tests/test_mermaid.py.
// Reads a JSON array of diagram texts on stdin; writes a JSON array with, for each, null (parsed) or the
// parser's error message. Mermaid needs a DOM to load (DOMPurify); jsdom provides one. Nothing is rendered:
// laying a diagram out needs a browser, parsing does not.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    await mermaid.parse(text);
    results.push(null);
  } catch (error) {
    results.push(String((error && error.message) || error));
  }
}
process.stdout.write(JSON.stringify(results));
