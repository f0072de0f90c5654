namespace Takeoff.Api.Hosting;

/// <summary>
/// Takeoff's settings: appsettings (section "Takeoff"), overridden by TAKEOFF_* environment variables,
/// overridden by command-line flags.
/// </summary>
public static class TakeoffConfiguration
{
    private static readonly (string Flag, string Variable, string Key)[] Settings =
    [
        ("--port", "TAKEOFF_PORT", "Takeoff:Port"),
        ("--host", "TAKEOFF_HOST", "Takeoff:Host"),
        ("--management-port", "TAKEOFF_MANAGEMENT_PORT", "Takeoff:ManagementPort"),
        ("--management-host", "TAKEOFF_MANAGEMENT_HOST", "Takeoff:ManagementHost"),
        ("--openai-port", "TAKEOFF_OPENAI_PORT", "Takeoff:OpenAiPort"),
        ("--stream-format", "TAKEOFF_STREAM_FORMAT", "Takeoff:StreamFormat"),
        ("--models-dir", "TAKEOFF_MODELS_DIR", "Takeoff:ModelsDir"),
        ("--models-file", "TAKEOFF_MODELS_FILE", "Takeoff:ModelsFile"),
        ("--model", "TAKEOFF_MODEL", "Takeoff:Model"),
        ("--metrics", "TAKEOFF_METRICS", "Takeoff:Metrics"),
        ("--api-key", "TAKEOFF_API_KEYS", "Takeoff:ApiKeys"),
        ("--api-key-file", "TAKEOFF_API_KEY_FILE", "Takeoff:ApiKeyFile"),
        ("--management-api-key", "TAKEOFF_MANAGEMENT_API_KEY", "Takeoff:ManagementApiKey"),
        ("--management-read-only", "TAKEOFF_MANAGEMENT_READ_ONLY", "Takeoff:ManagementReadOnly"),
        ("--log-format", "TAKEOFF_LOG_FORMAT", "Takeoff:LogFormat"),
        ("--shutdown-grace", "TAKEOFF_SHUTDOWN_GRACE", "Takeoff:ShutdownGraceSeconds"),
        ("--max-request-body", "TAKEOFF_MAX_REQUEST_BODY", "Takeoff:MaxRequestBodyBytes"),
        ("--max-new-tokens", "TAKEOFF_MAX_NEW_TOKENS", "Takeoff:MaxNewTokensLimit"),
        ("--max-request-tokens", "TAKEOFF_MAX_REQUEST_TOKENS", "Takeoff:MaxRequestTokens"),
        ("--max-embedding-inputs", "TAKEOFF_MAX_EMBEDDING_INPUTS", "Takeoff:MaxEmbeddingInputs"),
        ("--time-slice", "TAKEOFF_TIME_SLICE", "Takeoff:TimeSliceSeconds"),
        ("--request-timeout", "TAKEOFF_REQUEST_TIMEOUT", "Takeoff:RequestTimeoutSeconds"),
        ("--grammar-budget-ms", "TAKEOFF_GRAMMAR_BUDGET_MS", "Takeoff:GrammarMillisecondsPerToken"),
        ("--cors-origins", "TAKEOFF_CORS_ORIGINS", "Takeoff:CorsOrigins"),
        ("--management-cors-origins", "TAKEOFF_MANAGEMENT_CORS_ORIGINS", "Takeoff:ManagementCorsOrigins"),
        ("--allowed-hosts", "TAKEOFF_ALLOWED_HOSTS", "Takeoff:AllowedHosts"),
    ];

    public static void AddTakeoffSources(this IConfigurationManager configuration, string[] args)
    {
        var fromEnvironment = Settings
            .Select(s => (s.Key, Value: Environment.GetEnvironmentVariable(s.Variable)))
            .Where(s => !string.IsNullOrEmpty(s.Value))
            .ToDictionary(s => s.Key, s => s.Value);
        configuration.AddInMemoryCollection(fromEnvironment);
        configuration.AddCommandLine(args, Settings.ToDictionary(s => s.Flag, s => s.Key));
    }
}
