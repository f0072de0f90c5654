using System.Collections.Immutable;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Models;

namespace Takeoff.Engine.Readers;

/// <summary>
/// Every reader by id, and routing by consumer group or model name. Requests see an immutable snapshot swapped
/// atomically, so routing never takes a lock; a removed reader is out of the snapshot before it starts draining.
/// </summary>
internal sealed class ReaderRegistry
{
    private ImmutableList<Reader> _readers = [];
    private volatile bool _shuttingDown;

    /// <summary>Every reader, in the order they were started.</summary>
    public IReadOnlyList<Reader> Readers => Volatile.Read(ref _readers);

    /// <summary>The server is stopping: nothing new is routed or started.</summary>
    public bool ShuttingDown => _shuttingDown;

    /// <summary>
    /// Not shutting down, and every consumer group started with the server has a ready reader. Readers added later
    /// do not count: one still loading does not make the whole server unready.
    /// </summary>
    public bool IsReady
    {
        get
        {
            var readers = Readers;
            return !_shuttingDown && readers.Any(r => r.Boot) && readers.Where(r => r.Boot)
                .Select(r => r.Entry.ConsumerGroup).Distinct()
                .All(group => readers.Any(r => r.Entry.ConsumerGroup == group && r.State == ReaderState.Ready));
        }
    }

    public void BeginShutdown() => _shuttingDown = true;

    public void Add(Reader reader) => ImmutableInterlocked.Update(ref _readers, list => list.Add(reader));

    public Reader? Remove(string readerId)
    {
        Reader? removed = null;
        ImmutableInterlocked.Update(ref _readers, list =>
        {
            removed = list.Find(r => r.Id == readerId);
            return removed is null ? list : list.Remove(removed);
        });
        return removed;
    }

    public Reader Find(string readerId) => Readers.FirstOrDefault(r => r.Id == readerId)
        ?? throw new EngineException(EngineError.NotFound,
            $"No reader '{readerId}'; readers: {string.Join(", ", Readers.Select(r => r.Id))}.", EngineInput.Reader);

    /// <summary>Consumer groups first, then the model names that are not also a group's name.</summary>
    public IReadOnlyList<RoutingTarget> Targets()
    {
        var readers = Readers;
        var groups = readers.GroupBy(r => r.Entry.ConsumerGroup, StringComparer.Ordinal)
            .Select(g => new RoutingTarget(g.Key, IsGroup: true));
        var models = readers.GroupBy(r => r.Entry.Name, StringComparer.OrdinalIgnoreCase)
            .Where(m => readers.All(r => r.Entry.ConsumerGroup != m.Key))
            .Select(m => new RoutingTarget(m.Key, IsGroup: false));
        return [.. groups, .. models];
    }

    /// <summary>
    /// The least-loaded ready reader that computes <paramref name="type"/> for <paramref name="target"/>, a
    /// consumer group or else a model name. Unknown: 404 listing what is known. The other type only: 400.
    /// Nothing ready yet: 503.
    /// </summary>
    public LoadedModel Route(string target, ModelType type)
    {
        var readers = Readers;
        var members = readers.Where(r => r.Entry.ConsumerGroup == target).ToArray();
        if (members.Length == 0)
            members = readers.Where(r => string.Equals(r.Entry.Name, target, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (members.Length == 0)
            throw new EngineException(EngineError.NotFound, $"Unknown consumer group or model '{target}'; " + Known(readers), EngineInput.Target);

        var candidates = members.Where(r => r.Entry.ModelType == type).ToArray();
        if (candidates.Length == 0)
            throw EngineException.Invalid(EngineInput.Target,
                $"'{target}' has no {Name(type)} reader; its readers are {Name(members[0].Entry.ModelType)}.");

        if (_shuttingDown)
            throw new EngineException(EngineError.NotReady, "The server is shutting down.");
        // A reader that dies between this choice and the request's admission refuses it there (503), never serves it.
        var ready = candidates.Where(r => r.State == ReaderState.Ready).MinBy(r => r.Load);
        if (ready?.Model is { } model)
            return model;
        if (candidates.Any(r => r.State == ReaderState.Loading))
            throw new EngineException(EngineError.NotReady, $"The readers of '{target}' are still loading.");
        if (candidates.Any(r => r.State is ReaderState.Draining or ReaderState.Stopped))
            throw new EngineException(EngineError.NotReady, $"The readers of '{target}' are shutting down.");
        throw new EngineException(EngineError.NotReady,
            $"Every reader of '{target}' is dead (it failed to load, or crashed): {candidates[0].Snapshot().Error}");
    }

    private static string Known(IReadOnlyList<Reader> readers) =>
        $"known groups: {string.Join(", ", readers.Select(r => r.Entry.ConsumerGroup).Distinct().Order(StringComparer.Ordinal))}; " +
        $"models: {string.Join(", ", readers.Select(r => r.Entry.Name).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))}.";

    /// <summary>As models.json spells model types.</summary>
    private static string Name(ModelType type) => type.ToString().ToUpperInvariant();
}
