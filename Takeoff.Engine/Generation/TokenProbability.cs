namespace Takeoff.Engine.Generation;

/// <summary>A token with its natural-log probability under the model (after the request's hard constraints).</summary>
/// <param name="Piece">The token's text; a lone byte of a multi-byte character is written "&lt;0xE2&gt;".</param>
/// <param name="Bytes">The token's UTF-8 bytes.</param>
public sealed record TokenProbability(int TokenId, string Piece, byte[] Bytes, float Logprob);
