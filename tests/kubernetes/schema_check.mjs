// Validates every built-in Kubernetes object in examples/kubernetes against the API's
// OpenAPI schema, through the npm package kubernetes-models (types, required fields,
// enums such as restartPolicy). Unknown fields pass: the schema allows them.
//   node schema_check.mjs DIR NODE_PREFIX
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [dir, prefix] = process.argv.slice(2);
const { parseAllDocuments } = createRequire(join(prefix, "package.json"))("yaml");
// By file: the package's "exports" map offers its models to `import` only, from its own
// node_modules, not from a prefix.
const load = (model) => import(pathToFileURL(join(prefix, "node_modules", "kubernetes-models", `${model}.js`)).href);

const models = {
  "v1/ConfigMap": "v1/ConfigMap",
  "v1/Service": "v1/Service",
  "v1/PersistentVolumeClaim": "v1/PersistentVolumeClaim",
  "apps/v1/Deployment": "apps/v1/Deployment",
  "batch/v1/Job": "batch/v1/Job",
};
// Not built-in kinds: the kustomization and the Prometheus Operator's PodMonitor.
const skipped = new Set(["kustomize.config.k8s.io/v1beta1/Kustomization", "monitoring.coreos.com/v1/PodMonitor"]);

let valid = 0;
let invalid = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
  for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) {
    if (doc.errors.length) {
      invalid++;
      console.log(`FAIL ${file}: ${doc.errors[0].message}`);
      continue;
    }
    const object = doc.toJS();
    if (!object) continue;
    const key = `${object.apiVersion}/${object.kind}`;
    if (skipped.has(key)) continue;
    if (!models[key]) {
      invalid++;
      console.log(`FAIL ${file}: ${key} has no schema here; add it to schema_check.mjs`);
      continue;
    }
    const model = Object.values(await load(models[key])).find((v) => typeof v === "function");
    try {
      new model(object).validate();
      valid++;
      console.log(`ok ${file}: ${key} ${object.metadata.name}`);
    } catch (e) {
      invalid++;
      console.log(`FAIL ${file}: ${key} ${object.metadata?.name}: ${e.message}`);
    }
  }
}
console.log(`${valid} passed, ${invalid} failed`);
process.exit(invalid === 0 && valid > 0 ? 0 : 1);
