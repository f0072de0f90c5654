namespace Takeoff.Engine.Text;

/// <summary>A text's tokens as vocabulary ids and as pieces (a lone byte of a multi-byte character is "&lt;0xE2&gt;").</summary>
public sealed record Tokenization(IReadOnlyList<int> Ids, IReadOnlyList<string> Pieces);
