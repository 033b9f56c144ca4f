using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Fleet.Tests.Support;

/// <summary>
/// The built Fleet.Api.dll in a process of its own over an embedded SQLite database, so that what the server takes (its
/// peak resident memory, VmHWM) is measured apart from the test process and the other tests running in it.
/// </summary>
public sealed class FleetProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly string data = Path.Combine(Path.GetTempPath(), "fleet-tests", Guid.NewGuid().ToString("N"));

    public HttpClient Http { get; }
    public string Log { get { lock (output) return output.ToString(); } }

    /// <summary>A Fleet over SQLite without jobs; <paramref name="settings"/> (environment names) add to and override that.</summary>
    public FleetProcess(IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Fleet.Api.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Database__Provider"] = "Sqlite";
        info.Environment["Fleet__DataDirectory"] = data;
        info.Environment["Fleet__Jwt__SigningKey"] = "a-signing-key-for-a-process-of-its-own-0123456789";
        info.Environment["Fleet__AdminPassword"] = FleetFactory.AdminPassword;
        info.Environment["Fleet__Seed__Demo"] = "false";
        info.Environment["Fleet__Jobs__RunServer"] = "false";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) info.Environment[key] = value;
        process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(120) };
    }

    public async Task ReadyAsync()
    {
        for (var i = 0; i < 240; i++)
        {
            if (process.HasExited) throw new InvalidOperationException("Fleet exited at start:\n" + Log);
            try
            {
                if ((await Http.GetAsync("/health")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        throw new TimeoutException("Fleet did not start:\n" + Log);
    }

    /// <summary>The most resident memory the process has held so far, in MB (Linux's VmHWM).</summary>
    public long PeakMegabytes()
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>A client signed in as this user.</summary>
    public async Task<HttpClient> SignInAsync(string username, string password)
    {
        var response = await Http.PostAsJsonAsync("/api/auth/token", new { username, password });
        var token = (string)(await Client.Read(response, HttpStatusCode.OK))["accessToken"]!;
        var client = new HttpClient { BaseAddress = Http.BaseAddress, Timeout = Http.Timeout };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<JsonNode> PostAsync(HttpClient who, string url, object body) =>
        await Client.Read(await who.PostAsJsonAsync(url, body, Client.Json), HttpStatusCode.Created);

    /// <summary>Waits for the process to end by itself; its exit code.</summary>
    public async Task<int> ExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        Http.Dispose();
        process.Dispose();
        try { Directory.Delete(data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
