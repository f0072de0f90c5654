using System.Text;
using System.Text.Json.Nodes;

namespace Takeoff.Bench;

/// <summary>
/// llama-server's own account of its decode steps: each streamed answer ends with <c>timings.predicted_per_token_ms</c>,
/// the wall time between that slot's tokens, which is one step of its loop. Averaged over a run, it sits beside our
/// scheduler's step in the per-step table.
/// </summary>
internal sealed class LlamaServerTimings
{
    private readonly List<double> _perToken = [];

    /// <summary>Reads a streamed /completion answer to its end and keeps its per-token time.</summary>
    public async Task ReadAsync(Stream stream, Action firstToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string? last = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            firstToken();
            if (line.StartsWith("data: ", StringComparison.Ordinal))
                last = line;
        }
        if (last is not null && JsonNode.Parse(last["data: ".Length..])?["timings"]?["predicted_per_token_ms"] is { } perToken)
        {
            lock (_perToken)
                _perToken.Add(perToken.GetValue<double>());
        }
    }

    /// <summary>The mean since the last call (milliseconds per step), as a profile row; then starts afresh.</summary>
    public Dictionary<string, double> TakeMeans()
    {
        lock (_perToken)
        {
            var means = _perToken.Count == 0 ? [] : new Dictionary<string, double> { ["step"] = _perToken.Average() };
            _perToken.Clear();
            return means;
        }
    }
}
