using Personalization.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Text.Json;
using Personalization.ServiceDefaults;
using Personalization.Triggers.Definitions;
using Personalization.Triggers.Delivery;
using Personalization.Triggers.Subscriptions;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers.Api;

/// <summary>A tenant's message templates (Liquid, per channel) through the admin API, versioned, and rendered for a person on request.</summary>
public static class TemplatesAdminApi
{
    public static IEndpointRouteBuilder MapTemplatesAdminApi(this IEndpointRouteBuilder app)
    {
        var templates = app.MapDefinitions(DefinitionKind.Template, "templates", "the parts of each channel are in the Triggers README.",
            (_, definition, _, _) =>
            {
                var (template, faults) = TemplateParser.Parse(definition);
                return Task.FromResult((template?.Name, faults));
            });
        // Both also answer RenderRequest.Invalid (an IResult), so their success is declared here.
        templates.MapPost("/{id}/preview", PreviewAsync).WithSummary("Render a template for a person, as a send would").AcceptsJson("TemplatePreviewRequest")
            .Produces<PreviewResult>(StatusCodes.Status200OK);
        templates.MapPost("/{id}/test-send", TestSendAsync).WithSummary("Render an email template for a person and send it to a test address").AcceptsJson("TestSendRequest")
            .Produces<PreviewResult>(StatusCodes.Status200OK);
        return app;
    }

    /// <summary>Renders the template for <c>userId</c>, with an optional entry <c>event</c> and recommendation <c>scenario</c>, as a send would.</summary>
    private static async Task<IResult> PreviewAsync(string tenantId, string id, HttpRequest request, TemplatePreview preview, CancellationToken ct)
    {
        if (await RenderRequest.ReadAsync(request, extra: [], ct) is not { } asked) return RenderRequest.Invalid;
        if (asked.Faults.Any) return Invalid(asked.Faults);
        var result = await preview.RenderAsync(tenantId, id, asked.UserId, asked.Event, asked.Scenario, ct);
        return result is null ? DefinitionsApi.NotFound("template", tenantId, id) : TypedResults.Ok(result);
    }

    /// <summary>Renders an email template for <c>userId</c> and sends it to <c>to</c> (in subscription group <c>group</c>, with its unsubscribe link), as a journey would.</summary>
    private static async Task<IResult> TestSendAsync(string tenantId, string id, HttpRequest request, TemplatePreview preview, EmailSender email, CancellationToken ct)
    {
        if (await RenderRequest.ReadAsync(request, extra: ["to", "group"], ct) is not { } asked) return RenderRequest.Invalid;
        if (asked.Body.ValueKind != JsonValueKind.Object) return Invalid(asked.Faults);
        var to = asked.Faults.RequiredText("$", asked.Body, "to");
        if (to is not null && !MimeKit.MailboxAddress.TryParse(to, out _)) asked.Faults.Add("$.to", "Takes an email address.");
        var group = asked.Faults.OptionalText("$", asked.Body, "group");
        if (asked.Faults.Any) return Invalid(asked.Faults);
        if (await preview.RenderAsync(tenantId, id, asked.UserId, asked.Event, asked.Scenario, ct) is not { } result)
            return DefinitionsApi.NotFound("template", tenantId, id);
        if (result.Channel != Channel.Email)
            return TypedResults.Problem(title: "Not an email template", detail: $"'{id}' is written for {result.Channel.ToString().ToLowerInvariant()}.", statusCode: StatusCodes.Status400BadRequest);
        if (result.Message.Parts is not { } parts)
            return TypedResults.Problem(title: "Nothing to send", detail: result.Message.Problem, statusCode: StatusCodes.Status422UnprocessableEntity);
        try
        {
            await email.SendAsync(new OutgoingEmail(to!, parts, $"test/{tenantId}/{id}/{Guid.NewGuid():N}",
                group is null ? null : new UnsubscribeLink(tenantId, asked.UserId, group)), ct);
        }
        // A refused recipient (HardBounce) and a server without the TLS it must offer (NotSupportedException) are the
        // server's answer too, not a fault of this service.
        catch (Exception e) when (e is MailKit.ServiceNotConnectedException or MailKit.Net.Smtp.SmtpCommandException or MailKit.Net.Smtp.SmtpProtocolException
                                      or MailKit.Security.AuthenticationException or MailKit.Security.SslHandshakeException or NotSupportedException
                                      or PermanentFailure or System.Net.Sockets.SocketException or IOException or TimeoutException)
        {
            return TypedResults.Problem(title: "The SMTP server did not take the message", detail: e.Message, statusCode: StatusCodes.Status502BadGateway);
        }
        return TypedResults.Ok(result);
    }

    private static ValidationProblem Invalid(Faults faults) =>
        TypedResults.ValidationProblem(faults.ToDictionary(), title: "The request is not valid", detail: "Each entry names the JSON path of a fault.");
}
