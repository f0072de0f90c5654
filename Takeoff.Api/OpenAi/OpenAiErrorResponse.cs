namespace Takeoff.Api.OpenAi;

/// <summary>OpenAI's error body: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
public sealed record OpenAiErrorResponse(OpenAiError Error);

/// <param name="Message">What went wrong, for a person to read.</param>
/// <param name="Type">"invalid_request_error" for client mistakes, "server_error" when the server cannot serve now.</param>
/// <param name="Param">The request field at fault, if one is.</param>
/// <param name="Code">A machine-readable reason, e.g. "model_not_found".</param>
public sealed record OpenAiError(string Message, string Type, string? Param, string? Code);
