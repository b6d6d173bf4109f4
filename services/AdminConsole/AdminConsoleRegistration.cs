using Personalization.AdminConsole.Proxy;
using Personalization.AdminConsole.Security;
using Personalization.AdminConsole.SignIn;
using Personalization.ServiceDefaults;

namespace Personalization.AdminConsole;

public static class AdminConsoleRegistration
{
    /// <summary>
    /// The console: its pages (static files), the session (admin-token or OIDC sign-in, CSRF tokens) and the proxy to
    /// the services' admin APIs, which it calls with the admin token.
    /// </summary>
    public static IHostApplicationBuilder AddAdminConsole(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ConsoleOptions.Section).Get<ConsoleOptions>() ?? new ConsoleOptions();
        if (options.Problems().ToList() is { Count: > 0 } problems)
            throw new InvalidOperationException("The console is misconfigured: " + string.Join(" ", problems));
        builder.Services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section);
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);

        builder.AddConsoleAuthentication(options);
        builder.AddCsrfProtection();
        builder.AddAdminApiProxy(options);
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SignInThrottle>();
        return builder;
    }

    /// <summary>Security headers on everything, the pages, then the signed-in, CSRF-checked session and admin API.</summary>
    public static WebApplication MapAdminConsole(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            // Always revalidated, so a new release's pages and scripts are picked up at once.
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache",
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseCsrfProtection();
        app.MapSessionApi();
        app.MapReverseProxy(proxy => proxy.UseUnansweredAsProblem());
        return app;
    }
}
