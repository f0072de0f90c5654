using System.Collections.Immutable;

namespace Takeoff.Engine.Generation;

/// <summary>
/// Which loaded model serves which consumer group. Readers see an immutable snapshot swapped atomically,
/// so routing a request never takes a lock.
/// </summary>
public sealed class ModelRegistry : IAsyncDisposable
{
    private sealed record Snapshot(ImmutableDictionary<string, LoadedModel> Ready, ImmutableHashSet<string> Loading);

    private Snapshot _snapshot = new(
        ImmutableDictionary.Create<string, LoadedModel>(StringComparer.Ordinal),
        ImmutableHashSet.Create<string>(StringComparer.Ordinal));

    public bool IsReady => !Volatile.Read(ref _snapshot).Ready.IsEmpty;

    public IReadOnlyCollection<LoadedModel> Models => Volatile.Read(ref _snapshot).Ready.Values.ToArray();

    /// <summary>Announces a group whose model is loading, so requests to it get "not ready" rather than "unknown".</summary>
    public void MarkLoading(string group) => Swap(s => s with { Loading = s.Loading.Add(group) });

    public void Add(LoadedModel model) => Swap(s => new Snapshot(
        s.Ready.SetItem(model.Entry.ConsumerGroup, model), s.Loading.Remove(model.Entry.ConsumerGroup)));

    public void LoadFailed(string group) => Swap(s => s with { Loading = s.Loading.Remove(group) });

    public LoadedModel Route(string group)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot.Ready.TryGetValue(group, out var model))
            return model;
        if (snapshot.Loading.Contains(group))
            throw new EngineException(EngineError.NotReady, $"The model of consumer group '{group}' is still loading.");
        var known = snapshot.Ready.Keys.Concat(snapshot.Loading).Order(StringComparer.Ordinal);
        throw new EngineException(EngineError.UnknownConsumerGroup,
            $"Unknown consumer group '{group}'; known groups: {string.Join(", ", known)}.", "consumer_group");
    }

    private void Swap(Func<Snapshot, Snapshot> change)
    {
        Snapshot current, next;
        do
        {
            current = Volatile.Read(ref _snapshot);
            next = change(current);
        }
        while (Interlocked.CompareExchange(ref _snapshot, next, current) != current);
    }

    public async ValueTask DisposeAsync()
    {
        var snapshot = Interlocked.Exchange(ref _snapshot, _snapshot with { Ready = _snapshot.Ready.Clear() });
        foreach (var model in snapshot.Ready.Values)
            await model.DisposeAsync();
    }
}
