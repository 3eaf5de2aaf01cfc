namespace Elbo.Serialization;

/// <summary>
/// Files written together: each <see cref="AtomicFile"/> write inside the group goes to its temporary file (content
/// complete and flushed) and waits; <see cref="Commit"/> renames them all over their targets, which takes no space, so
/// a full disk or any other failure while the content is written leaves no target changed. Disposing an uncommitted
/// group deletes its temporary files. A group inside another hands its files to the outer one on commit.
/// </summary>
public sealed class AtomicGroup : IDisposable
{
    private static readonly AsyncLocal<AtomicGroup?> Active = new();
    private readonly AtomicGroup? _outer;
    private readonly List<(string Temp, string Target)> _staged = [];
    private bool _done;

    internal AtomicGroup()
    {
        _outer = Active.Value;
        Active.Value = this;
    }

    /// <summary>The group writes join, or null.</summary>
    internal static AtomicGroup? Current => Active.Value;

    /// <summary>The targets written so far, in order.</summary>
    public IReadOnlyList<string> Targets => _staged.Select(s => s.Target).ToList();

    internal void Stage(string temp, string target)
    {
        lock (_staged) _staged.Add((temp, target));
    }

    /// <summary>Renames every file written in the group over its target (or, nested, passes them to the outer group)
    /// and ends the group.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        Active.Value = _outer;
        _done = true;
        int i = 0;
        try
        {
            for (; i < _staged.Count; i++)
            {
                var (temp, target) = _staged[i];
                if (_outer is not null) _outer.Stage(temp, target);
                else File.Move(temp, target, overwrite: true);
            }
        }
        catch
        {
            for (; i < _staged.Count; i++) Delete(_staged[i].Temp);   // a rename failed: the rest are not left lying about
            throw;
        }
        finally
        {
            _staged.Clear();
        }
    }

    private static void Delete(string temp)
    {
        try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Ends the group; without a commit its files are deleted.</summary>
    public void Dispose()
    {
        if (_done) return;
        Active.Value = _outer;
        _done = true;
        foreach (var (temp, _) in _staged) Delete(temp);
        _staged.Clear();
    }
}
