using System.ComponentModel.DataAnnotations;

namespace Takeoff.Engine.Hosting;

/// <summary>Where the engine finds its models (section <c>Takeoff</c>; TAKEOFF_* variables and flags override).</summary>
public sealed class EngineOptions
{
    public const string Section = "Takeoff";

    /// <summary>Folder holding the GGUF files; missing files with a url in models.json are downloaded here.</summary>
    [Required]
    public string ModelsDir { get; set; } = "models";

    /// <summary>The model catalog; a relative path is looked up in the working directory, then beside the server.</summary>
    [Required]
    public string ModelsFile { get; set; } = "models.json";

    /// <summary>models.json entries to start at boot (comma-separated); null starts those marked "boot".</summary>
    public string? Model { get; set; }

    /// <summary>Seconds a removed reader's running requests get to finish before they are ended early.</summary>
    [Range(0, 3600)]
    public double ReaderStopGraceSeconds { get; set; } = 10;

    /// <summary>The most new tokens one choice may ask for; a request without a limit of its own gets this one.</summary>
    [Range(1, 10_000_000)]
    public int MaxNewTokensLimit { get; set; } = 16384;

    /// <summary>
    /// The most new tokens one request may ask for over all its prompts and choices (n × max_tokens); a request without
    /// a limit of its own gets its share of this. Beyond it the answer is 400.
    /// </summary>
    [Range(1, 100_000_000)]
    public int MaxRequestTokens { get; set; } = 65_536;

    /// <summary>The most inputs one embedding request may hold (OpenAI's own limit is 2,048).</summary>
    [Range(1, 1_000_000)]
    public int MaxEmbeddingInputs { get; set; } = 2048;

    /// <summary>
    /// Seconds a request may take from arrival to its last token before it is ended early (as stopped); 0: none. As
    /// llama-server's default, ten minutes: a client that asks for an endless answer does not hold a slot for ever.
    /// </summary>
    [Range(0, 86_400)]
    public double RequestTimeoutSeconds { get; set; } = 600;

    /// <summary>
    /// Seconds a running sequence keeps its slot while other requests wait for one; then it yields and queues again
    /// (its KV cells are rebuilt when it resumes, unless still cached). 0: a sequence keeps its slot to its end.
    /// </summary>
    [Range(0, 3600)]
    public double TimeSliceSeconds { get; set; } = 0.5;

    /// <summary>
    /// Milliseconds of llama.cpp grammar work a constrained choice may take per token on average (25 tokens' worth
    /// more at most), for vocabularies up to 32,000 tokens and proportionally more above (the grammar's pass over the
    /// vocabulary costs per entry): past it the request ends with a 400 saying so, so that one grammar cannot hold
    /// every other client's tokens. Grammars too expensive to start are refused at admission whatever this says.
    /// </summary>
    [Range(0.01, 10_000)]
    public double GrammarMillisecondsPerToken { get; set; } = 10;

    /// <summary>At shutdown (SIGTERM, Ctrl+C), seconds running requests get to finish before they are ended early.</summary>
    [Range(0, 3600)]
    public double ShutdownGraceSeconds { get; set; } = 20;

    internal string ResolveModelsFile()
    {
        if (Path.IsPathRooted(ModelsFile) || File.Exists(ModelsFile))
            return Path.GetFullPath(ModelsFile);
        var besideServer = Path.Combine(AppContext.BaseDirectory, ModelsFile);
        return File.Exists(besideServer) ? besideServer : Path.GetFullPath(ModelsFile);
    }
}
