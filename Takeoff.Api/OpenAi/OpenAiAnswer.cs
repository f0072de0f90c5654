namespace Takeoff.Api.OpenAi;

/// <summary>What every object of one answer repeats: its id, when it was made, and the model asked for.</summary>
public sealed record OpenAiAnswer(string Id, long Created, string Model)
{
    /// <summary>Identifies this server's build, as OpenAI's system_fingerprint does its backend configuration.</summary>
    public static string SystemFingerprint { get; } = "fp_takeoff_" +
        (typeof(OpenAiAnswer).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..10]);

    /// <param name="prefix">The object kind's id prefix: "chatcmpl", "cmpl".</param>
    public static OpenAiAnswer Start(string prefix, TimeProvider time, string model) =>
        new($"{prefix}-{Guid.NewGuid():N}", time.GetUtcNow().ToUnixTimeSeconds(), model);
}
