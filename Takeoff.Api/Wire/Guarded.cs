using System.Runtime.CompilerServices;

namespace Takeoff.Api.Wire;

/// <summary>
/// Enumerates a stream for a writer whose status line is already sent: a failure other than the client going away
/// does not escape, it arrives as the last element, so the writer can end its stream properly and say why.
/// </summary>
internal static class Guarded
{
    public static async IAsyncEnumerable<(T Item, Exception? Failure)> Enumerate<T>(IAsyncEnumerable<T> source,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        await using var items = source.GetAsyncEnumerator(cancellation);
        while (true)
        {
            Exception? failure = null;
            try
            {
                if (!await items.MoveNextAsync())
                    yield break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failure = e;
            }
            yield return failure is null ? (items.Current, null) : (default!, failure);
            if (failure is not null)
                yield break;
        }
    }
}
