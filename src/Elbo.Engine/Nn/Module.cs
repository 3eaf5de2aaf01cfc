using System.Text;

namespace Elbo.Engine.Nn;

/// <summary>
/// The base of every layer and model (PyTorch's torch.nn.Module). A module registers its parameters, buffers
/// (running statistics) and child modules in declaration order; <see cref="NamedParameters"/>,
/// <see cref="NamedBuffers"/> and <see cref="StateDict"/> list them with dotted names like PyTorch
/// (<c>encoder.0.weight</c>): a module's own entries first, then each child's, recursively.
/// Parameters are heap tensors with <see cref="Tensor.RequiresGrad"/> set; their <see cref="Tensor.Name"/> is their
/// dotted name as seen from the outermost module they were registered into.
/// </summary>
public abstract class Module
{
    // Bumped on every registration anywhere, so cached flattened lists know when to rebuild.
    private static int _structureVersion;

    private readonly List<KeyValuePair<string, Tensor>> _parameters = [];
    private readonly List<KeyValuePair<string, Tensor>> _buffers = [];
    private readonly List<KeyValuePair<string, Module>> _children = [];

    private IReadOnlyList<Tensor>? _parameterCache;
    private IReadOnlyList<KeyValuePair<string, Tensor>>? _namedParameterCache;
    private int _cacheVersion = -1;

    /// <summary>Whether the module is in training mode (the default); see <see cref="Train"/> and <see cref="Eval"/>.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Computes the module's output for input <paramref name="x"/>.</summary>
    public abstract Tensor Forward(Tensor x);

    // ---------------------------------------------------------------- registration

    /// <summary>Registers <paramref name="parameter"/> under <paramref name="name"/>: it becomes a trainable leaf
    /// (<see cref="Tensor.RequiresGrad"/> = true) and is listed by <see cref="Parameters"/>. Returns it.</summary>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        CheckNewName(name);
        if (!parameter.IsLeaf)
            throw new ArgumentException($"register_parameter: '{name}' must be a leaf tensor (not the result of an operation)");
        parameter.RequiresGrad = true;
        parameter.Name = name;
        _parameters.Add(new(name, parameter));
        Interlocked.Increment(ref _structureVersion);
        return parameter;
    }

    /// <summary>Registers a buffer (state that is saved in <see cref="StateDict"/> but not trained, such as running
    /// statistics). Returns it.</summary>
    protected Tensor RegisterBuffer(string name, Tensor buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        CheckNewName(name);
        buffer.RequiresGrad = false;
        buffer.Name = name;
        _buffers.Add(new(name, buffer));
        Interlocked.Increment(ref _structureVersion);
        return buffer;
    }

    /// <summary>Registers a child module under <paramref name="name"/>; its parameters and buffers are listed after
    /// this module's own, prefixed with <c>name.</c>. Returns it.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckNewName(name);
        if (ReferenceEquals(module, this)) throw new ArgumentException($"register_module: '{name}' cannot be the module itself");
        _children.Add(new(name, module));
        Interlocked.Increment(ref _structureVersion);
        // Rename the child's tensors with their dotted names as seen from here (redone when this module is
        // itself registered into a parent, so the outermost registration wins).
        foreach (var kv in module.NamedParameters()) kv.Value.Name = name + "." + kv.Key;
        foreach (var kv in module.NamedBuffers()) kv.Value.Name = name + "." + kv.Key;
        return module;
    }

    private void CheckNewName(string name)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("register: a name cannot be empty");
        if (name.Contains('.')) throw new ArgumentException($"register: name '{name}' cannot contain '.'");
        foreach (var kv in _parameters) if (kv.Key == name) throw Duplicate(name);
        foreach (var kv in _buffers) if (kv.Key == name) throw Duplicate(name);
        foreach (var kv in _children) if (kv.Key == name) throw Duplicate(name);
    }

    private ArgumentException Duplicate(string name) =>
        new($"register: {GetType().Name} already has an attribute named '{name}'");

    // ---------------------------------------------------------------- listing

    /// <summary>Every trainable parameter of this module and its descendants, in registration order, each listed
    /// once. The list is cached (no allocation on repeated calls) and rebuilt when modules are registered.</summary>
    public IReadOnlyList<Tensor> Parameters()
    {
        EnsureCache();
        return _parameterCache!;
    }

    /// <summary>The parameters with their dotted names (<c>encoder.0.weight</c>), in registration order; a tensor
    /// shared by several modules is listed once, under its first name. Cached like <see cref="Parameters"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> NamedParameters()
    {
        EnsureCache();
        return _namedParameterCache!;
    }

    /// <summary>The buffers (running statistics) with their dotted names, in registration order.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> NamedBuffers()
    {
        var list = new List<KeyValuePair<string, Tensor>>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        CollectBuffers("", list, seen);
        return list;
    }

    /// <summary>The direct children with their names, in registration order.</summary>
    public IReadOnlyList<KeyValuePair<string, Module>> NamedChildren() => _children;

    /// <summary>The direct children in registration order.</summary>
    public IEnumerable<Module> Children()
    {
        foreach (var kv in _children) yield return kv.Value;
    }

    /// <summary>This module and all its descendants with dotted names (this module's name is empty), depth first.</summary>
    public IReadOnlyList<KeyValuePair<string, Module>> NamedModules()
    {
        var list = new List<KeyValuePair<string, Module>>();
        CollectModules("", list);
        return list;
    }

    /// <summary>The total number of elements of the parameters.</summary>
    public long ParameterCount
    {
        get
        {
            long n = 0;
            var ps = Parameters();
            for (int i = 0; i < ps.Count; i++) n += ps[i].Numel;
            return n;
        }
    }

    private void EnsureCache()
    {
        int version = Volatile.Read(ref _structureVersion);
        if (_cacheVersion == version && _parameterCache != null) return;
        var named = new List<KeyValuePair<string, Tensor>>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        CollectParameters("", named, seen);
        var plain = new Tensor[named.Count];
        for (int i = 0; i < plain.Length; i++) plain[i] = named[i].Value;
        _namedParameterCache = named.AsReadOnly();
        _parameterCache = Array.AsReadOnly(plain);
        _cacheVersion = version;
    }

    private void CollectParameters(string prefix, List<KeyValuePair<string, Tensor>> list, HashSet<Tensor> seen)
    {
        foreach (var kv in _parameters)
            if (seen.Add(kv.Value)) list.Add(new(prefix + kv.Key, kv.Value));
        foreach (var kv in _children) kv.Value.CollectParameters(prefix + kv.Key + ".", list, seen);
    }

    private void CollectBuffers(string prefix, List<KeyValuePair<string, Tensor>> list, HashSet<Tensor> seen)
    {
        foreach (var kv in _buffers)
            if (seen.Add(kv.Value)) list.Add(new(prefix + kv.Key, kv.Value));
        foreach (var kv in _children) kv.Value.CollectBuffers(prefix + kv.Key + ".", list, seen);
    }

    private void CollectModules(string prefix, List<KeyValuePair<string, Module>> list)
    {
        list.Add(new(prefix, this));
        foreach (var kv in _children)
            kv.Value.CollectModules(prefix.Length == 0 ? kv.Key : prefix + "." + kv.Key, list);
    }

    // State dict order, as PyTorch: own parameters, own buffers, then each child's entries.
    private void CollectState(string prefix, List<KeyValuePair<string, Tensor>> list, HashSet<Tensor> seen)
    {
        foreach (var kv in _parameters)
            if (seen.Add(kv.Value)) list.Add(new(prefix + kv.Key, kv.Value));
        foreach (var kv in _buffers)
            if (seen.Add(kv.Value)) list.Add(new(prefix + kv.Key, kv.Value));
        foreach (var kv in _children) kv.Value.CollectState(prefix + kv.Key + ".", list, seen);
    }

    // ---------------------------------------------------------------- modes and gradients

    /// <summary>Sets training mode (<paramref name="on"/> = true) or evaluation mode on this module and all its
    /// descendants; affects dropout and batch normalization. Returns this module.</summary>
    public Module Train(bool on = true)
    {
        Training = on;
        foreach (var kv in _children) kv.Value.Train(on);
        return this;
    }

    /// <summary>Evaluation mode: same as <c>Train(false)</c>. Returns this module.</summary>
    public Module Eval() => Train(false);

    /// <summary>Forgets the gradients of all parameters (PyTorch's zero_grad(set_to_none=True)); buffers are kept
    /// for reuse, so this does not allocate.</summary>
    public void ZeroGrad()
    {
        var ps = Parameters();
        for (int i = 0; i < ps.Count; i++) ps[i].ZeroGrad();
    }

    // ---------------------------------------------------------------- state dicts

    /// <summary>A copy of every parameter and buffer, by dotted name, in PyTorch's order (a module's parameters,
    /// then its buffers, then its children's entries). The tensors are heap copies, safe to keep.</summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var list = new List<KeyValuePair<string, Tensor>>();
        CollectState("", list, new HashSet<Tensor>(ReferenceEqualityComparer.Instance));
        var dict = new OrderedDictionary<string, Tensor>(list.Count);
        foreach (var kv in list)
        {
            var copy = kv.Value.Clone();
            copy.Name = kv.Key;
            dict.Add(kv.Key, copy);
        }
        return dict;
    }

    /// <summary>Copies the tensors of <paramref name="stateDict"/> into this module's parameters and buffers (in
    /// place: optimizers holding the parameters stay valid). Every shape must match, or nothing is loaded and an
    /// <see cref="ArgumentException"/> names each key with both shapes. With <paramref name="strict"/>, missing and
    /// unexpected keys are errors too; otherwise they are only reported in the result.</summary>
    public LoadStateDictResult LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var own = new List<KeyValuePair<string, Tensor>>();
        CollectState("", own, new HashSet<Tensor>(ReferenceEqualityComparer.Instance));

        var missing = new List<string>();
        var mismatched = new List<string>();
        var ownNames = new HashSet<string>(own.Count);
        foreach (var (name, target) in own)
        {
            ownNames.Add(name);
            if (!stateDict.TryGetValue(name, out var source) || source is null) missing.Add(name);
            else if (!source.Shape.SequenceEqual(target.Shape))
                mismatched.Add($"size mismatch for {name}: the checkpoint has shape {source.ShapeString}, the model has shape {target.ShapeString}");
        }
        var unexpected = new List<string>();
        foreach (var key in stateDict.Keys)
            if (!ownNames.Contains(key)) unexpected.Add(key);

        if (mismatched.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
        {
            var sb = new StringBuilder($"load_state_dict: error(s) loading the state dict of {GetType().Name}:");
            if (missing.Count > 0) sb.Append("\n  missing key(s): ").AppendJoin(", ", missing);
            if (unexpected.Count > 0) sb.Append("\n  unexpected key(s): ").AppendJoin(", ", unexpected);
            foreach (var m in mismatched) sb.Append("\n  ").Append(m);
            throw new ArgumentException(sb.ToString(), nameof(stateDict));
        }

        foreach (var (name, target) in own)
            if (stateDict.TryGetValue(name, out var source) && source is not null) source.Data.CopyTo(target.Data);
        return new LoadStateDictResult(missing, unexpected);
    }

    // ---------------------------------------------------------------- printing

    /// <summary>The arguments shown between the parentheses of <see cref="ToString"/> (like PyTorch's extra_repr).</summary>
    protected virtual string ExtraRepr() => "";

    /// <summary>A PyTorch-like description of the module tree.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Write(sb, 0);
        return sb.ToString();
    }

    private void Write(StringBuilder sb, int indent)
    {
        sb.Append(GetType().Name).Append('(').Append(ExtraRepr());
        if (_children.Count > 0)
        {
            sb.Append('\n');
            foreach (var (name, child) in _children)
            {
                sb.Append(' ', indent + 2).Append('(').Append(name).Append("): ");
                child.Write(sb, indent + 2);
                sb.Append('\n');
            }
            sb.Append(' ', indent);
        }
        sb.Append(')');
    }
}

/// <summary>What <see cref="Module.LoadStateDict"/> did not match: keys the model has but the dict lacks, and keys
/// the dict has but the model lacks (both empty after a strict load).</summary>
public sealed record LoadStateDictResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys);
