// Checks rendered Kubernetes manifests (a YAML stream on stdin, as `kubectl kustomize` prints it): every object
// against the schema of its kind (Kubernetes 1.34 through kubernetes-models, KEDA's and the Prometheus operator's
// CRDs through @kubernetes-models/keda and /prometheus-operator, Dapr's resources through dapr-schemas.mjs), then the
// policies of policies.mjs. Prints one JSON line,
// {"objects": n, "kinds": {...}, "errors": [...]}, and exits 1 when there is any error.
//
//   kubectl kustomize k8s/overlays/production | node check.mjs
import { readFileSync } from "node:fs";
import { loadAll } from "js-yaml";
import { daprValidators } from "./dapr-schemas.mjs";
import { checkPolicies } from "./policies.mjs";

const documents = loadAll(readFileSync(0, "utf8")).filter((d) => d != null);
const errors = [];

for (const object of documents) {
  const name = `${object.kind ?? "?"}/${object.metadata?.name ?? "?"}`;
  try {
    const problems = await validate(object);
    for (const problem of problems) errors.push(`${name}: ${problem}`);
  } catch (error) {
    errors.push(`${name}: ${error.message}`);
  }
}
errors.push(...checkPolicies(documents));

const kinds = {};
for (const object of documents) kinds[object.kind] = (kinds[object.kind] ?? 0) + 1;
console.log(JSON.stringify({ objects: documents.length, kinds, errors }));
process.exitCode = errors.length > 0 ? 1 : 0;

/** The schema problems of one object; an object of a kind no schema here knows is itself a problem. */
async function validate(object) {
  if (typeof object.apiVersion !== "string" || typeof object.kind !== "string")
    return ["has no apiVersion or kind"];
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];

  if (group === "dapr.io") {
    const check = daprValidators[`${version}/${object.kind}`];
    if (!check) return [`no schema for ${object.apiVersion} ${object.kind}`];
    return check(object) ? [] : check.errors.map((e) => `${e.instancePath || "/"} ${e.message}`);
  }

  const crds = { "keda.sh": "@kubernetes-models/keda", "monitoring.coreos.com": "@kubernetes-models/prometheus-operator" };
  const module = crds[group]
    ? `${crds[group]}/${group}/${version}/${object.kind}`
    : `kubernetes-models/${group ? `${group}/` : ""}${version}/${object.kind}`;
  let model;
  try {
    model = (await import(module))[object.kind];
  } catch {
    return [`no schema for ${object.apiVersion} ${object.kind}`];
  }
  try {
    new model(object).validate();
    return [];
  } catch (error) {
    return [error.message];
  }
}
