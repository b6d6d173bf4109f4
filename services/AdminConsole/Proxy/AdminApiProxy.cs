using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Personalization.AdminConsole.Security;
using Personalization.AdminConsole.SignIn;
using Personalization.ServiceDefaults;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace Personalization.AdminConsole.Proxy;

/// <summary>
/// <c>/api/{service}/…</c> is the service's <c>/admin/…</c>, called with the console's admin token on behalf of the
/// signed-in person. Only admin routes are reachable, and the browser's cookies and CSRF token never leave the console.
/// </summary>
public static class AdminApiProxy
{
    public static IHostApplicationBuilder AddAdminApiProxy(this IHostApplicationBuilder builder, ConsoleOptions options)
    {
        var routes = ConsoleOptions.ServiceNames.Select(name => new RouteConfig
        {
            RouteId = name,
            ClusterId = name,
            AuthorizationPolicy = ConsoleAuthentication.Policy,
            Match = new RouteMatch { Path = $"/api/{name}/{{**rest}}" },
        }.WithTransformPathRouteValues("/admin/{**rest}")).ToList();
        var clusters = ConsoleOptions.ServiceNames.Select(name => new ClusterConfig
        {
            ClusterId = name,
            Destinations = new Dictionary<string, DestinationConfig> { [name] = new() { Address = options.Services[name].ToString() } },
        }).ToList();

        builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters).AddTransforms(transforms =>
        {
            transforms.AddRequestHeaderRemove("Cookie");
            transforms.AddRequestHeaderRemove(CsrfProtection.HeaderName);
            transforms.AddResponseHeaderRemove("Set-Cookie", ResponseCondition.Always);
            var token = transforms.Services.GetRequiredService<IOptions<AdminOptions>>().Value.Token;
            transforms.AddRequestTransform(context =>
            {
                context.ProxyRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                return ValueTask.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>A service that does not answer is a 502 problem that names it, not a bare status.</summary>
    public static IApplicationBuilder UseUnansweredAsProblem(this IApplicationBuilder proxy) => proxy.Use(async (context, next) =>
    {
        await next(context);
        if (context.GetForwarderErrorFeature() is not { } failure || context.Response.HasStarted) return;
        var service = context.GetRouteModel().Config.ClusterId;
        await Results.Problem(title: $"The {service} service is not answering",
            detail: $"The console could not reach {service} ({failure.Error}); the rest of the console still works. Try again when it is back.",
            statusCode: StatusCodes.Status502BadGateway).ExecuteAsync(context);
    });
}
