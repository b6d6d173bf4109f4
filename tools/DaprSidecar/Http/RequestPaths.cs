namespace Personalization.DaprSidecar.Http;

/// <summary>
/// The .NET SDK builds URLs as <c>{endpoint}/{relative}</c> with an endpoint that already ends in '/', so calls arrive as
/// <c>//v1.0/actors/...</c>; ASP.NET routing would not match them. daprd's router tolerates this; so must we.
/// </summary>
public static class RequestPaths
{
    public static string CollapseSlashes(string path)
    {
        if (!path.Contains("//", StringComparison.Ordinal)) return path;
        var builder = new System.Text.StringBuilder(path.Length);
        foreach (var c in path)
            if (c != '/' || builder.Length == 0 || builder[^1] != '/')
                builder.Append(c);
        return builder.ToString();
    }

    public static IApplicationBuilder UseCollapsedSlashes(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var path = context.Request.Path.Value;
            if (path is not null) context.Request.Path = new PathString(CollapseSlashes(path));
            return next(context);
        });
}
