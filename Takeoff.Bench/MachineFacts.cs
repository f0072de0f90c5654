using Takeoff.Engine.Native;
using Takeoff.Engine.Readers;

namespace Takeoff.Bench;

/// <summary>What the numbers were measured on.</summary>
internal static class MachineFacts
{
    private static readonly string[] InterestingFlags = ["avx", "avx2", "fma", "f16c", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile"];

    /// <summary>The CPU's model name and core count, as a table's caption gives them.</summary>
    public static string Cpu() => $"{Environment.ProcessorCount} cores, {CpuModel(CpuInfo())}";

    private static string[] CpuInfo() => File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : [];

    private static string CpuModel(string[] cpuinfo) =>
        cpuinfo.FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

    public static Dictionary<string, string> Describe(string modelPath, ReaderSnapshot reader, int contextSize)
    {
        var cpuinfo = CpuInfo();
        var cpu = CpuModel(cpuinfo);
        var flags = cpuinfo.FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(':', 2)[1].Split(' ') ?? [];
        return new Dictionary<string, string>
        {
            ["cores"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["cpu"] = cpu,
            ["cpu_flags"] = string.Join(' ', InterestingFlags.Where(flags.Contains)),
            ["model"] = Path.GetFileName(modelPath),
            ["context_per_sequence"] = contextSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["max_batch_size"] = reader.Entry.MaxBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["kv_cache"] = "per-sequence (KVUnified = false)",
            ["native_library"] = NativeBackend.Description ?? "not loaded",
        };
    }
}
