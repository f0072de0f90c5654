namespace Takeoff.Engine.Generation;

/// <summary>
/// One sampled token and the text it completes. The text is empty while a UTF-8 character is still partial
/// (the decoder never splits one). The last piece of a stream has no token and carries the <see cref="Summary"/>.
/// </summary>
public sealed record TokenPiece(string Text, int? TokenId, GenerationSummary? Summary = null);
