using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Personalization.ServiceDefaults;

/// <summary>
/// The request bodies handlers parse themselves (as a JsonElement, so ASP.NET has no type to describe them): each
/// service embeds their JSON schemas (<c>Api/Schemas/*.json</c>, each file a map of component names to schemas, with
/// examples the service accepts), and an endpoint names its body's schema with <see cref="AcceptsJson"/>.
/// </summary>
public static class RequestSchemas
{
    /// <summary>Where Directory.Build.props puts each service's <c>Api/Schemas/*.json</c> among its resources.</summary>
    private const string ResourcePrefix = "api-schemas/";

    /// <summary>The endpoint's body, sent as <paramref name="ContentType"/>, is the component schema <paramref name="Schema"/>.</summary>
    public sealed record JsonBody(string Schema, string ContentType, bool Required);

    /// <summary>Names the body's schema; an endpoint that takes several JSON media types names one for each.</summary>
    public static RouteHandlerBuilder AcceptsJson(this RouteHandlerBuilder endpoint, string schema, string contentType = "application/json", bool required = true) =>
        endpoint.WithMetadata(new JsonBody(schema, contentType, required));

    /// <summary>The embedded schemas of <paramref name="assembly"/>, by component name, as JSON text.</summary>
    internal static IReadOnlyDictionary<string, string> Load(Assembly assembly)
    {
        var schemas = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order())
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var file = JsonDocument.Parse(stream);
            foreach (var component in file.RootElement.EnumerateObject())
                if (!schemas.TryAdd(component.Name, component.Value.GetRawText()))
                    throw new InvalidOperationException($"The request schema '{component.Name}' is defined twice ({resource}).");
        }
        return schemas;
    }

    /// <summary>Adds the schemas to the document's components; a schema that does not read is a build mistake, so it throws.</summary>
    internal static void AddTo(OpenApiDocument document, IReadOnlyDictionary<string, string> schemas)
    {
        document.Components!.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        foreach (var (name, json) in schemas)
        {
            var schema = OpenApiModelFactory.Parse<OpenApiSchema>(json, OpenApiSpecVersion.OpenApi3_1, document, out var diagnostic, OpenApiConstants.Json);
            if (schema is null || diagnostic?.Errors is { Count: > 0 })
                throw new InvalidOperationException($"The request schema '{name}' does not read: {string.Join("; ", diagnostic?.Errors.Select(e => e.Message) ?? [])}");
            if (!document.Components.Schemas.TryAdd(name, schema))
                throw new InvalidOperationException($"The request schema '{name}' has the name of a schema the service's types already give.");
        }
    }

    /// <summary>The operation's body as the endpoint names it, when it does.</summary>
    internal static void Describe(OpenApiOperation operation, IList<object> metadata, OpenApiDocument? document)
    {
        var bodies = metadata.OfType<JsonBody>().ToList();
        if (bodies.Count == 0) return;
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = bodies.Any(b => b.Required),
            Content = bodies.ToDictionary(b => b.ContentType, b => new OpenApiMediaType { Schema = new OpenApiSchemaReference(b.Schema, document) }),
        };
    }
}
