using System.Globalization;
using System.Text;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>Grammar text as code points (llama.cpp reads UTF-8 code points), and where each one sits.</summary>
internal sealed class GbnfSource
{
    private readonly int[] _codePoints;

    public GbnfSource(string text)
    {
        var codePoints = new List<int>(text.Length);
        foreach (var rune in EnumerateRunes(text))
        {
            // llama.cpp receives a C string: a NUL would silently cut the grammar short.
            if (rune == 0)
                throw new ConstraintException($"NUL character in the grammar at {Where(codePoints, codePoints.Count)}");
            codePoints.Add(rune);
        }
        _codePoints = [.. codePoints];
    }

    public int Length => _codePoints.Length;

    /// <summary>The code point at <paramref name="index"/>, or -1 past the end (llama.cpp's terminating NUL).</summary>
    public int this[int index] => index < _codePoints.Length ? _codePoints[index] : -1;

    public string Where(int index) => Where(_codePoints, index);

    private static string Where(IReadOnlyList<int> codePoints, int index)
    {
        int line = 1, column = 1;
        for (var i = 0; i < index && i < codePoints.Count; i++)
        {
            var c = codePoints[i];
            if (c == '\n' || (c == '\r' && (i + 1 >= codePoints.Count || codePoints[i + 1] != '\n')))
            {
                line++;
                column = 1;
            }
            else if (c != '\r')
            {
                column++;
            }
        }
        return string.Create(CultureInfo.InvariantCulture, $"line {line}, column {column}");
    }

    private static IEnumerable<int> EnumerateRunes(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) != System.Buffers.OperationStatus.Done)
                throw new ConstraintException(
                    string.Create(CultureInfo.InvariantCulture, $"invalid UTF-16 (a lone surrogate) at offset {i} of the grammar"));
            yield return rune.Value;
            i += used;
        }
    }
}
