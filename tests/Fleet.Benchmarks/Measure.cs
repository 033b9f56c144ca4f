using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Fleet.Benchmarks;

public static class Measure
{
    /// <summary>Peak resident memory (VmHWM) of a process, in MB, from /proc.</summary>
    public static double PeakMb(int pid) => StatusMb(pid, "VmHWM:");

    /// <summary>Resident memory (VmRSS) of a process now, in MB.</summary>
    public static double ResidentMb(int pid) => StatusMb(pid, "VmRSS:");

    /// <summary>A line of /proc/pid/status in MB (e.g. "RssAnon:").</summary>
    public static double StatusMb(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        return double.NaN;
    }

    /// <summary>
    /// The highest private memory (RssAnon: the heaps, stacks and native allocations, not the files mapped) a process
    /// reaches while <paramref name="work"/> runs, sampled every 5 ms. VmHWM counts the mapped pages of a file too, which
    /// are the operating system's file cache (a report reading SQLite through a memory map shows the file's pages there).
    /// </summary>
    public static async Task<(T Result, double PrivatePeakMb)> PrivatePeakAsync<T>(int pid, Func<Task<T>> work)
    {
        using var stop = new CancellationTokenSource();
        var peak = StatusMb(pid, "RssAnon:");
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, StatusMb(pid, "RssAnon:"));
                try { await Task.Delay(5, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        var result = await work();
        await stop.CancelAsync();
        await sampler;
        return (result, Math.Max(peak, StatusMb(pid, "RssAnon:")));
    }

    /// <summary>How many interleaved rounds each benchmark runs (FLEET_BENCH_ROUNDS, default 3).</summary>
    public static int Rounds => int.Parse(Environment.GetEnvironmentVariable("FLEET_BENCH_ROUNDS") ?? "3", CultureInfo.InvariantCulture);

    /// <summary>Runs this benchmark program again in a process of its own (its memory its own) and reads the figure it
    /// prints as JSON on its last line.</summary>
    public static async Task<T> ChildAsync<T>(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Fleet.Benchmarks.dll"), .. args]) { RedirectStandardOutput = true };
        using var child = Process.Start(info)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        return System.Text.Json.JsonSerializer.Deserialize<T>(output.Trim().Split('\n')[^1])!;
    }

    /// <summary>Waits until <paramref name="http"/>'s /health answers, failing if <paramref name="process"/> exits first.</summary>
    public static async Task WaitForHealthAsync(HttpClient http, Process process)
    {
        for (var i = 0; i < 600; i++)
        {
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            if (process.HasExited) throw new InvalidOperationException($"{process.StartInfo.FileName} {string.Join(' ', process.StartInfo.ArgumentList)} exited during start-up.");
            await Task.Delay(200);
        }
        throw new TimeoutException("The server did not answer /health.");
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>"median (lowest–highest)" of a few rounds.</summary>
    public static string Spread(IEnumerable<double> values, string format, string unit = "")
    {
        var list = values.ToList();
        return $"{Median(list).ToString(format, CultureInfo.InvariantCulture)}{unit} ({list.Min().ToString(format, CultureInfo.InvariantCulture)}–{list.Max().ToString(format, CultureInfo.InvariantCulture)})";
    }
}

/// <summary>The real Fleet.Api binary over a given database, in a process of its own, so its memory is its own.</summary>
public sealed class Server : IAsyncDisposable
{
    public const string Password = "bench-Qx7-boot-secret";
    private readonly Process process;
    public HttpClient Http { get; }
    public int Pid => process.Id;

    private Server(Process process, HttpClient http) => (this.process, Http) = (process, http);

    public static async Task<Server> StartAsync(string database, int port, IDictionary<string, string>? extra = null)
    {
        var api = Path.Combine(AppContext.BaseDirectory, "Fleet.Api.dll");
        var data = Directory.CreateTempSubdirectory("fleet-bench-").FullName;
        var info = new ProcessStartInfo("dotnet", [api, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.Environment["ConnectionStrings__Fleet"] = PgCopy.IsPostgres(database) ? database : $"Data Source={database}";
        if (PgCopy.IsPostgres(database)) info.Environment["Database__Provider"] = "PostgreSql";
        info.Environment["Fleet__DataDirectory"] = data;
        info.Environment["Fleet__AdminPassword"] = Password;
        info.Environment["Fleet__Seed__Demo"] = "false";
        info.Environment["Fleet__Jobs__RunServer"] = "false";
        info.Environment["Fleet__SignIn__MaxFailuresPerAddress"] = "100000";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("  [server] " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(30) };
        await Measure.WaitForHealthAsync(http, process);
        var token = await (await http.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = Password })).Content.ReadFromJsonAsync<JsonObject>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", (string)token!["accessToken"]!);
        return new Server(process, http);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        Http.Dispose();
        process.Dispose();
    }
}
