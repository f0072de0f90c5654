using System.Diagnostics;
using System.Text;

namespace Takeoff.Tests.Integration.Deploy;

/// <summary>Runs a script of the repository's scripts/ folder with bash, as CI would, and collects what it printed.</summary>
internal static class DeployScripts
{
    /// <summary>The repository root: the first folder above the test assembly that holds TakeoffLlama.sln.</summary>
    public static string RepositoryRoot { get; } = Locate();

    public static async Task<(int ExitCode, string Output)> RunAsync(string script, TimeSpan limit,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot, "scripts", script)])
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["TAKEOFF_MODELS_DIR"] = TestModels.Directory;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, line) => { lock (output) output.AppendLine(line.Data); };
        process.ErrorDataReceived += (_, line) => { lock (output) output.AppendLine(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Its trap does the cleanup: SIGTERM lets it stop the servers it started.
            Process.Start("kill", ["-TERM", $"{process.Id}"])!.WaitForExit();
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
            lock (output)
                return (-1, $"{output}\n(stopped after {limit.TotalSeconds} s)");
        }
        process.WaitForExit();
        lock (output)
            return (process.ExitCode, output.ToString());
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TakeoffLlama.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("No TakeoffLlama.sln above the test assembly.");
    }
}
