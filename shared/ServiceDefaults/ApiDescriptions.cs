using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;

namespace Personalization.ServiceDefaults;

/// <summary>
/// Each service's OpenAPI document at <c>/openapi/v1.json</c>, for platform teams to generate clients from: the
/// operations' summaries come from the handlers' XML comments, their credentials from the authorization metadata of
/// the endpoint, the bodies handlers parse themselves from the service's <see cref="RequestSchemas"/>, and every
/// operation lists the problem-details answers the service defaults give.
/// </summary>
public static class ApiDescriptions
{
    public const string Path = "/openapi/v1.json";

    /// <summary>The tracking API's credential: a write key (ingestion's scheme of this name checks it).</summary>
    public const string WriteKeyScheme = "WriteKey";
    private const string ProblemSchema = "ProblemDetails";

    /// <summary>The credentials the services take, by the name of the authentication scheme that checks them.</summary>
    private static readonly Dictionary<string, OpenApiSecurityScheme> Credentials = new()
    {
        [AdminAuthentication.SchemeName] = new() { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "The admin token (`Admin__Token`)." },
        [TenantReaders.SchemeName] = new() { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "A tenant's read token; the answer covers that tenant only." },
        [WriteKeyScheme] = new()
        {
            Type = SecuritySchemeType.Http, Scheme = "basic",
            Description = "A source's write key as the HTTP Basic user name with an empty password, as the Segment and RudderStack SDKs send it.",
        },
    };

    internal static IHostApplicationBuilder AddApiDescriptions(this IHostApplicationBuilder builder)
    {
        var title = $"Personalization {builder.Environment.ApplicationName.Replace("Personalization.", "")}";
        // Read when the document is first asked for, not at every start (the relay and verbs never serve it).
        var requestSchemas = new Lazy<IReadOnlyDictionary<string, string>>(() => RequestSchemas.Load(Assembly.Load(new AssemblyName(builder.Environment.ApplicationName))));
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo { Title = title, Version = "v1", Description = "Errors are RFC 7807 problem details (application/problem+json)." };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = Credentials.ToDictionary(c => c.Key, c => (IOpenApiSecurityScheme)c.Value);
                document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
                document.Components.Schemas.TryAdd(ProblemSchema, Problem());
                RequestSchemas.AddTo(document, requestSchemas.Value);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                RequestSchemas.Describe(operation, metadata, context.Document);
                var schemes = metadata.OfType<AuthorizationPolicy>().SelectMany(p => p.AuthenticationSchemes)
                    .Concat(metadata.OfType<IAuthorizeData>().SelectMany(a => a.AuthenticationSchemes?.Split(',') ?? []))
                    .Where(Credentials.ContainsKey).Distinct().ToList();
                if (schemes.Count > 0)
                {
                    operation.Security = [.. schemes.Select(s => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(s, context.Document)] = [] })];
                    AddProblem(operation, context.Document, StatusCodes.Status401Unauthorized, "The credential is missing or not known.");
                }
                if (operation.Parameters is { Count: > 0 } || operation.RequestBody is not null)
                    AddProblem(operation, context.Document, StatusCodes.Status400BadRequest, "The request is not valid; the problem says which part and why.");
                AddProblem(operation, context.Document, StatusCodes.Status503ServiceUnavailable, "A service or store this answer needs is unavailable; try again after Retry-After.");
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>Serves the document; it describes the API, so it is public like the APIs' own error answers.</summary>
    internal static WebApplication MapApiDescriptions(this WebApplication app)
    {
        app.MapOpenApi(Path);
        return app;
    }

    private static void AddProblem(OpenApiOperation operation, OpenApiDocument? document, int status, string description)
    {
        operation.Responses ??= new OpenApiResponses();
        if (operation.Responses.ContainsKey(status.ToString())) return;
        operation.Responses[status.ToString()] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
        };
    }

    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 7807 problem details.",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
        },
    };
}
