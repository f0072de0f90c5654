using System.Collections.Immutable;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Models;

namespace Takeoff.Engine.Readers;

/// <summary>
/// Every reader by id, and routing by consumer group. Requests see an immutable snapshot swapped atomically,
/// so routing never takes a lock; a removed reader is out of the snapshot before it starts draining.
/// </summary>
public sealed class ReaderRegistry
{
    private ImmutableList<Reader> _readers = [];

    /// <summary>Every reader, in the order they were started.</summary>
    public IReadOnlyList<Reader> Readers => Volatile.Read(ref _readers);

    /// <summary>At least one reader serves, and none is still loading.</summary>
    public bool IsReady => Readers.Any(r => r.State == ReaderState.Ready) && Readers.All(r => r.State != ReaderState.Loading);

    internal void Add(Reader reader) => ImmutableInterlocked.Update(ref _readers, list => list.Add(reader));

    internal Reader? Remove(string readerId)
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
            $"No reader '{readerId}'; readers: {string.Join(", ", Readers.Select(r => r.Id))}.", "reader_id");

    /// <summary>
    /// The least-loaded ready reader of <paramref name="group"/> that computes <paramref name="type"/>.
    /// Unknown group: 404 listing the known ones. A group of the other type only: 400. Nothing ready yet: 503.
    /// </summary>
    public LoadedModel Route(string group, ModelType type)
    {
        var readers = Readers;
        var members = readers.Where(r => r.Entry.ConsumerGroup == group).ToArray();
        if (members.Length == 0)
        {
            var known = readers.Select(r => r.Entry.ConsumerGroup).Distinct().Order(StringComparer.Ordinal);
            throw new EngineException(EngineError.NotFound,
                $"Unknown consumer group '{group}'; known groups: {string.Join(", ", known)}.", "consumer_group");
        }

        var candidates = members.Where(r => r.Entry.ModelType == type).ToArray();
        if (candidates.Length == 0)
            throw new EngineException(EngineError.InvalidArgument,
                $"Consumer group '{group}' has no {type.ToWireName()} reader; its readers are " +
                $"{members[0].Entry.ModelType.ToWireName()}.", "consumer_group");

        var ready = candidates.Where(r => r.State == ReaderState.Ready).MinBy(r => r.Load);
        if (ready?.Model is { } model)
            return model;
        if (candidates.Any(r => r.State == ReaderState.Loading))
            throw new EngineException(EngineError.NotReady, $"The readers of consumer group '{group}' are still loading.");
        throw new EngineException(EngineError.NotReady,
            $"Every reader of consumer group '{group}' failed to load: {candidates[0].Error}");
    }
}
