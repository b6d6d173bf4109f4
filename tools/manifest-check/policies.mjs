// What a reviewer of the manifests would insist on, beyond the schemas. Each rule returns messages naming the object.

/** The services and roles of the suite, and which of them run with a Dapr sidecar (actor hosts and callers). */
export const services = ["ingestion", "ingestion-relay", "segmentation", "recommendation", "triggers", "admin-console"];
export const daprApps = ["segmentation", "recommendation", "triggers"];

/**
 * What must run exactly once: two relays would publish every event twice; two consoles would each reject the other's
 * session cookies (their data-protection keys live in memory).
 */
const singletons = ["ingestion-relay", "admin-console"];

const secretName = /(password|secret|token|connectionstring|connection-string|apikey|api-key|credential)/i;
/** Settings that only say where a secret is, not what it is. */
const secretLocation = /(directory|path|file|url)$/i;
const holdsSecret = (variable) => secretName.test(variable) && !secretLocation.test(variable);

export function checkPolicies(objects) {
  const errors = [];
  const named = (kind) => objects.filter((o) => o.kind === kind);
  const deployments = named("Deployment");
  const configurations = new Set(named("Configuration").map((c) => c.metadata?.name));

  for (const object of objects) {
    const id = `${object.kind}/${object.metadata?.name}`;
    if (object.kind === "Secret") errors.push(`${id}: secrets are created outside the manifests and only referenced`);
  }

  for (const deployment of deployments) errors.push(...checkDeployment(deployment, configurations));
  for (const job of named("Job")) errors.push(...checkPod(`Job/${job.metadata?.name}`, job.spec?.template, { probes: false }));

  for (const singleton of singletons) {
    const once = deployments.find((d) => d.metadata?.name === singleton);
    if (!once) errors.push(`Deployment/${singleton}: missing`);
    else {
      if (once.spec?.replicas !== 1) errors.push(`Deployment/${singleton}: must run exactly one replica, not ${once.spec?.replicas}`);
      if (once.spec?.strategy?.type !== "Recreate") errors.push(`Deployment/${singleton}: needs strategy Recreate, so two never run at once`);
    }
  }

  const deploymentNames = new Set(deployments.map((d) => d.metadata?.name));
  for (const scaler of [...named("HorizontalPodAutoscaler"), ...named("ScaledObject")]) {
    const target = scaler.spec?.scaleTargetRef?.name;
    const id = `${scaler.kind}/${scaler.metadata?.name}`;
    if (!deploymentNames.has(target)) errors.push(`${id}: scales ${target}, which is not a Deployment here`);
    if (singletons.includes(target)) errors.push(`${id}: ${target} must not be scaled`);
  }
  for (const object of [...named("Service"), ...named("PodDisruptionBudget")]) {
    const selector = object.kind === "Service" ? object.spec?.selector : object.spec?.selector?.matchLabels;
    const id = `${object.kind}/${object.metadata?.name}`;
    if (!selector || !deployments.some((d) => matches(selector, d.spec?.template?.metadata?.labels)))
      errors.push(`${id}: selects no Deployment's pods`);
  }

  for (const component of [...named("Component"), ...named("Resiliency")])
    for (const scope of component.scopes ?? [])
      if (!daprApps.includes(scope)) errors.push(`${component.kind}/${component.metadata?.name}: scope ${scope} is no Dapr app of the suite`);
  for (const component of named("Component"))
    for (const item of component.spec?.metadata ?? [])
      if (holdsSecret(item.name) && item.value !== undefined)
        errors.push(`Component/${component.metadata?.name}: ${item.name} is written inline; use secretKeyRef`);
  return errors;
}

function checkDeployment(deployment, configurations) {
  const name = deployment.metadata?.name;
  const id = `Deployment/${name}`;
  const pod = deployment.spec?.template ?? {};
  const spec = pod.spec ?? {};
  const errors = checkPod(id, pod, { probes: true });
  if (!services.includes(name)) errors.push(`${id}: is no service of the suite (${services.join(", ")})`);
  if (pod.metadata?.labels?.["app.kubernetes.io/name"] !== name) errors.push(`${id}: pods need the label app.kubernetes.io/name=${name}`);

  const annotations = pod.metadata?.annotations ?? {};
  const dapr = annotations["dapr.io/enabled"];
  if (dapr !== "true" && dapr !== "false") errors.push(`${id}: must say dapr.io/enabled "true" or "false"`);
  const shouldHaveDapr = daprApps.includes(name);
  if (shouldHaveDapr && dapr !== "true") errors.push(`${id}: ${name} hosts or calls actors and needs its Dapr sidecar`);
  if (dapr === "true") {
    const appId = annotations["dapr.io/app-id"];
    if (!daprApps.includes(appId)) errors.push(`${id}: dapr.io/app-id ${appId} is no Dapr app of the suite (${daprApps.join(", ")})`);
    else if (appId !== name) errors.push(`${id}: dapr.io/app-id ${appId} is not the Deployment's name`);
    const ports = (spec.containers ?? []).flatMap((c) => c.ports ?? []).map((p) => String(p.containerPort));
    if (!ports.includes(annotations["dapr.io/app-port"])) errors.push(`${id}: dapr.io/app-port ${annotations["dapr.io/app-port"]} is no container port`);
    if (!configurations.has(annotations["dapr.io/config"])) errors.push(`${id}: dapr.io/config ${annotations["dapr.io/config"]} names no Configuration here`);
    for (const token of ["dapr.io/api-token-secret", "dapr.io/app-token-secret"])
      if (!annotations[token]) errors.push(`${id}: needs ${token}, or the sidecar and the app take calls from anyone`);
  }
  return errors;
}

/** What every pod of the suite needs, whatever runs it: pinned images, sizes, a locked-down context, no inline secrets. */
function checkPod(id, template, { probes }) {
  const errors = [];
  const spec = template?.spec ?? {};
  if (spec.securityContext?.runAsNonRoot !== true) errors.push(`${id}: the pod must set runAsNonRoot`);
  for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const where = `${id} container ${container.name}`;
    const image = container.image ?? "";
    if (!/(:[\w][\w.-]{0,127}|@sha256:[0-9a-f]{64})$/.test(image.replace(/^[^/]*:[0-9]+\//, "")))
      errors.push(`${where}: image ${image} is not pinned to a tag or digest`);
    if (/:latest(@|$)/.test(image)) errors.push(`${where}: image ${image} uses latest`);
    if (probes && !(spec.initContainers ?? []).includes(container))
      for (const probe of ["livenessProbe", "readinessProbe"])
        if (!container[probe]) errors.push(`${where}: has no ${probe}`);
    for (const resource of ["cpu", "memory"]) {
      if (!container.resources?.requests?.[resource]) errors.push(`${where}: has no ${resource} request`);
      if (!container.resources?.limits?.[resource]) errors.push(`${where}: has no ${resource} limit`);
    }
    const security = container.securityContext ?? {};
    if (security.allowPrivilegeEscalation !== false) errors.push(`${where}: must set allowPrivilegeEscalation: false`);
    if (security.readOnlyRootFilesystem !== true) errors.push(`${where}: must set readOnlyRootFilesystem: true`);
    if (security.privileged === true) errors.push(`${where}: must not be privileged`);
    if (!(security.capabilities?.drop ?? []).includes("ALL")) errors.push(`${where}: must drop ALL capabilities`);
    for (const variable of container.env ?? [])
      if (holdsSecret(variable.name) && variable.value !== undefined)
        errors.push(`${where}: ${variable.name} is written inline; use secretKeyRef`);
  }
  return errors;
}

function matches(selector, labels) {
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}
