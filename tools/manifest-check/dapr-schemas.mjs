// Schemas of the Dapr resources the manifests use (Component, Configuration, Resiliency, dapr.io/v1alpha1), written
// from Dapr's reference documentation: the upstream CRDs cannot be fetched from the registries the test suite may
// use. Strict where the fields are known (additionalProperties: false), so a misspelt field fails.
import Ajv from "ajv";

const name = { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 63 };
const metadata = {
  type: "object",
  required: ["name"],
  properties: { name, namespace: name, labels: { type: "object" }, annotations: { type: "object" } },
};
const duration = { type: "string", pattern: "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$" };
const scopes = { type: "array", items: name, uniqueItems: true };

const secretKeyRef = {
  type: "object",
  additionalProperties: false,
  required: ["name", "key"],
  properties: { name: { type: "string" }, key: { type: "string" } },
};
const componentMetadataItem = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  oneOf: [{ required: ["value"] }, { required: ["secretKeyRef"] }],
  properties: { name: { type: "string", minLength: 1 }, value: { type: ["string", "number", "boolean"] }, secretKeyRef },
};

const component = {
  type: "object",
  required: ["apiVersion", "kind", "metadata", "spec"],
  additionalProperties: false,
  properties: {
    apiVersion: { const: "dapr.io/v1alpha1" },
    kind: { const: "Component" },
    metadata,
    scopes,
    auth: { type: "object", additionalProperties: false, properties: { secretStore: { type: "string" } } },
    spec: {
      type: "object",
      additionalProperties: false,
      required: ["type", "version"],
      properties: {
        type: { type: "string", pattern: "^(state|pubsub|bindings|secretstores|configuration|lock|middleware|conversation|cryptography|nameresolution)\\.[a-z0-9.-]+$" },
        version: { type: "string", pattern: "^v[0-9]+$" },
        ignoreErrors: { type: "boolean" },
        initTimeout: duration,
        metadata: { type: "array", items: componentMetadataItem },
      },
    },
  },
};

const configuration = {
  type: "object",
  required: ["apiVersion", "kind", "metadata", "spec"],
  additionalProperties: false,
  properties: {
    apiVersion: { const: "dapr.io/v1alpha1" },
    kind: { const: "Configuration" },
    metadata,
    spec: {
      type: "object",
      additionalProperties: false,
      properties: {
        tracing: {
          type: "object",
          additionalProperties: false,
          properties: {
            samplingRate: { type: "string", pattern: "^(0(\\.[0-9]+)?|1(\\.0+)?)$" },
            stdout: { type: "boolean" },
            otel: {
              type: "object",
              additionalProperties: false,
              required: ["endpointAddress"],
              properties: {
                endpointAddress: { type: "string", minLength: 1 },
                isSecure: { type: "boolean" },
                protocol: { enum: ["grpc", "http"] },
              },
            },
            zipkin: { type: "object", additionalProperties: false, properties: { endpointAddress: { type: "string" } } },
          },
        },
        metric: {
          type: "object",
          additionalProperties: false,
          properties: { enabled: { type: "boolean" }, http: { type: "object" }, rules: { type: "array" } },
        },
        api: {
          type: "object",
          additionalProperties: false,
          properties: Object.fromEntries(["allowed", "denied"].map((list) => [list, {
            type: "array",
            items: {
              type: "object",
              additionalProperties: false,
              required: ["name", "version"],
              properties: { name: { type: "string" }, version: { type: "string" }, protocol: { enum: ["http", "grpc"] } },
            },
          }])),
        },
        features: { type: "array", items: { type: "object", required: ["name", "enabled"] } },
        mtls: { type: "object" },
        accessControl: { type: "object" },
      },
    },
  },
};

const target = {
  type: "object",
  additionalProperties: false,
  properties: {
    timeout: { type: "string" },
    retry: { type: "string" },
    circuitBreaker: { type: "string" },
    circuitBreakerScope: { enum: ["id", "type", "both"] },
    circuitBreakerCacheSize: { type: "integer", minimum: 1 },
  },
};
const resiliency = {
  type: "object",
  required: ["apiVersion", "kind", "metadata", "spec"],
  additionalProperties: false,
  properties: {
    apiVersion: { const: "dapr.io/v1alpha1" },
    kind: { const: "Resiliency" },
    metadata,
    scopes,
    spec: {
      type: "object",
      additionalProperties: false,
      required: ["policies", "targets"],
      properties: {
        policies: {
          type: "object",
          additionalProperties: false,
          properties: {
            timeouts: { type: "object", additionalProperties: duration },
            retries: {
              type: "object",
              additionalProperties: {
                type: "object",
                additionalProperties: false,
                required: ["policy"],
                properties: {
                  policy: { enum: ["constant", "exponential"] },
                  duration,
                  initialInterval: duration,
                  maxInterval: duration,
                  maxRetries: { type: "integer", minimum: -1 },
                  matching: { type: "object" },
                },
              },
            },
            circuitBreakers: {
              type: "object",
              additionalProperties: {
                type: "object",
                additionalProperties: false,
                required: ["trip"],
                properties: { maxRequests: { type: "integer", minimum: 1 }, interval: duration, timeout: duration, trip: { type: "string", minLength: 1 } },
              },
            },
          },
        },
        targets: {
          type: "object",
          additionalProperties: false,
          properties: {
            apps: { type: "object", additionalProperties: target },
            actors: { type: "object", additionalProperties: target },
            components: { type: "object" },
          },
        },
      },
    },
  },
};

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
export const daprValidators = {
  "v1alpha1/Component": ajv.compile(component),
  "v1alpha1/Configuration": ajv.compile(configuration),
  "v1alpha1/Resiliency": ajv.compile(resiliency),
};
