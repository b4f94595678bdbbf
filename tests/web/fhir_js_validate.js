// Reads {"name": resource, ...} as JSON on standard input and prints {"name": [problem, ...]}:
// each error or warning FHIR.js (the npm package "fhir", FHIR R4) finds, unknown elements
// included. Information messages (value sets it does not ship) are left out.
// Usage: node fhir_js_validate.js PATH_TO_THE_FHIR_PACKAGE < resources.json
"use strict";
const { Fhir } = require(process.argv[2]);

const fhir = new Fhir();
const resources = JSON.parse(require("fs").readFileSync(0, "utf8"));
const problems = {};
for (const [name, resource] of Object.entries(resources)) {
  const result = fhir.validate(resource, { errorOnUnexpected: true });
  problems[name] = result.messages
    .filter((message) => message.severity !== "info")
    .map((message) => `${message.severity} at ${message.location}: ${message.message}`);
  if (!result.valid && problems[name].length === 0) {
    problems[name].push("invalid, with no message");
  }
}
process.stdout.write(JSON.stringify(problems));
