using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Infrastructure;

public static partial class Plumbing
{
    /// <summary>
    /// Refuses a body larger than the endpoint allows (413) before the handler reads it: by Content-Length when
    /// it is sent, and through Kestrel's limit for chunked bodies.
    /// </summary>
    public static IApplicationBuilder UseBodySizeLimit(this IApplicationBuilder app)
    {
        var fallback = app.ApplicationServices.GetRequiredService<IOptions<FleetOptions>>().Value.MaxRequestBodyBytes;
        // Not async on the common path: a request within the limit costs no state machine here.
        return app.Use((http, next) =>
        {
            var limit = http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? fallback;
            if (http.Request.ContentLength > limit)
            {
                http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                // The unread body is still on the wire: say so, and Kestrel closes the connection after the answer.
                http.Response.Headers.Connection = "close";
                return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = Problems.Details(413, new CodedText("Request.BodyTooLarge", ("bytes", new Bytes((long)limit)))),
                }).AsTask();
            }
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
            return next(http);
        });
    }

    /// <summary>
    /// Headers every answer carries: no content sniffing. And the Hangfire dashboard's state-changing requests must come
    /// from its own pages (an Origin of this host): its cookie's SameSite alone is not relied on.
    /// </summary>
    public static IApplicationBuilder UseSafetyHeaders(this IApplicationBuilder app, string dashboardPath) =>
        app.Use((http, next) =>
        {
            http.Response.Headers.XContentTypeOptions = "nosniff";
            if (http.Request.Path.StartsWithSegments(dashboardPath) && !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) &&
                !SameOrigin(http))
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = Problems.Details(403, new CodedText("Common.DashboardPagesOnly")),
                }).AsTask();
            }
            return next(http);
        });

    private static bool SameOrigin(HttpContext http) =>
        Uri.TryCreate(http.Request.Headers.Origin.ToString(), UriKind.Absolute, out var origin) &&
        string.Equals(origin.Scheme, http.Request.Scheme, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(origin.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms for {User}")]
    private static partial void Responded(ILogger logger, string method, string? path, int statusCode, double elapsedMs, string user);

    /// <summary>One structured line per request: method, path, status, time, and who asked.</summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Fleet.Requests");
        return app.Use(async (http, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(http);
            }
            finally
            {
                if (logger.IsEnabled(LogLevel.Information))
                    Responded(logger, http.Request.Method, http.Request.Path.Value, http.Response.StatusCode,
                        Stopwatch.GetElapsedTime(started).TotalMilliseconds, http.User.Identity?.Name ?? "anonymous");
            }
        });
    }
}
