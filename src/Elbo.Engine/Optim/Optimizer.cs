using System.Globalization;
using System.Text;

namespace Elbo.Engine.Optim;

/// <summary>
/// The base of the optimizers (torch.optim.Optimizer, one parameter group). Holds the parameters, a learning rate
/// and, per parameter, the named state tensors of the algorithm (created at the parameter's first update, like
/// PyTorch's lazy state) and the number of updates the parameter received. Parameters whose
/// <see cref="Tensor.Grad"/> is null are skipped by <see cref="Step"/>.
/// </summary>
public abstract class Optimizer
{
    private readonly Tensor[] _parameters;
    private readonly Tensor?[][] _state; // [parameter][state slot]
    private readonly long[] _paramSteps;
    private readonly string[] _stateNames;

    /// <summary>Sets up the optimizer for <paramref name="parameters"/> (each listed once) with the named per-parameter
    /// state slots <paramref name="stateNames"/> (e.g. exp_avg, exp_avg_sq).</summary>
    protected Optimizer(IReadOnlyList<Tensor> parameters, double lr, string[] stateNames)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(stateNames);
        if (!(lr >= 0)) throw new ArgumentException($"{OpName}: invalid learning rate {lr}");
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        _parameters = new Tensor[parameters.Count];
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = parameters[i] ?? throw new ArgumentException($"{OpName}: parameter {i} is null");
            if (!seen.Add(p)) throw new ArgumentException($"{OpName}: parameter {i} ({p.Name ?? p.ShapeString}) appears more than once");
            _parameters[i] = p;
        }
        _stateNames = stateNames;
        _state = new Tensor?[_parameters.Length][];
        for (int i = 0; i < _state.Length; i++) _state[i] = new Tensor?[stateNames.Length];
        _paramSteps = new long[_parameters.Length];
        Lr = lr;
    }

    /// <summary>The name used in messages (adam, adamw, sgd).</summary>
    protected abstract string OpName { get; }

    /// <summary>Whether the per-parameter update count is part of the saved state (Adam's "step"; SGD has none).</summary>
    protected virtual bool SavesParamSteps => false;

    /// <summary>The parameters updated, in order.</summary>
    public IReadOnlyList<Tensor> Parameters => _parameters;

    /// <summary>The learning rate (may be changed between steps, e.g. by a schedule).</summary>
    public double Lr { get; set; }

    /// <summary>How many times <see cref="Step"/> has been called.</summary>
    public long StepCount { get; private set; }

    /// <summary>Updates every parameter that has a gradient. Allocates nothing after the first update of each
    /// parameter.</summary>
    public void Step()
    {
        StepCount++;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            var g = p.Grad;
            if (g is null) continue;
            var state = _state[i];
            bool first = _paramSteps[i] == 0;
            if (first)
                for (int k = 0; k < state.Length; k++) state[k] ??= Tensor.Zeros(p.ShapeArray());
            long t = ++_paramSteps[i];
            Update(p.Data, g.Data, state, t, first);
        }
    }

    /// <summary>Updates one parameter in place from its gradient. <paramref name="state"/> holds the parameter's state
    /// tensors (zeros at its first update, when <paramref name="first"/> is set); <paramref name="step"/> counts this
    /// parameter's updates including this one (1 at the first).</summary>
    protected abstract void Update(Span<float> param, ReadOnlySpan<float> grad, Tensor?[] state, long step, bool first);

    /// <summary>Forgets the gradients of all parameters (set_to_none; buffers are kept for reuse).</summary>
    public void ZeroGrad()
    {
        for (int i = 0; i < _parameters.Length; i++) _parameters[i].ZeroGrad();
    }

    /// <summary>A copy of the optimizer state for checkpoints: for each parameter i that has been updated,
    /// <c>state.{i}.{name}</c> for each state tensor (e.g. <c>state.0.exp_avg</c>) and, for Adam,
    /// <c>state.{i}.step</c> (a one-element float tensor, as PyTorch keeps it); and <c>step_count</c>, the number of
    /// <see cref="Step"/> calls. Hyperparameters are not included: they come from the training configuration.</summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var dict = new OrderedDictionary<string, Tensor>();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var state = _state[i];
            bool has = _paramSteps[i] > 0;
            if (!has) continue;
            foreach (var (k, name) in Enumerate(_stateNames))
            {
                var key = Key(i, name);
                var copy = state[k]!.Clone();
                copy.Name = key;
                dict.Add(key, copy);
            }
            if (SavesParamSteps) dict.Add(Key(i, "step"), Tensor.Scalar(_paramSteps[i]));
        }
        dict.Add("step_count", Tensor.Scalar(StepCount));
        return dict;
    }

    /// <summary>Restores a state saved by <see cref="StateDict"/> for the same parameter list. Everything is checked
    /// before anything changes; an <see cref="ArgumentException"/> lists unknown keys, incomplete parameter state
    /// and shape mismatches (naming the key and both shapes). Parameters absent from the dict get no state (as if
    /// never updated).</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var errors = new List<string>();
        var known = new HashSet<string> { "step_count" };
        var present = new bool[_parameters.Length];
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            int found = 0;
            foreach (var name in _stateNames)
            {
                var key = Key(i, name);
                known.Add(key);
                if (!stateDict.TryGetValue(key, out var t)) continue;
                found++;
                if (!t.Shape.SequenceEqual(p.Shape))
                    errors.Add($"size mismatch for {key}: the checkpoint has shape {t.ShapeString}, the parameter has shape {p.ShapeString}");
            }
            string stepKey = Key(i, "step");
            bool hasStep = false;
            if (SavesParamSteps)
            {
                known.Add(stepKey);
                if (stateDict.TryGetValue(stepKey, out var st))
                {
                    hasStep = true;
                    if (st.Numel != 1) errors.Add($"size mismatch for {stepKey}: the checkpoint has shape {st.ShapeString}, expected one element");
                }
            }
            int expected = _stateNames.Length + (SavesParamSteps ? 1 : 0);
            int got = found + (hasStep ? 1 : 0);
            if (got != 0 && got != expected)
                errors.Add($"incomplete state for parameter {i} ({p.Name ?? p.ShapeString}): expected {string.Join(", ", ExpectedKeys(i))}");
            present[i] = got == expected && expected > 0;
        }
        var unexpected = new List<string>();
        foreach (var key in stateDict.Keys)
            if (!known.Contains(key)) unexpected.Add(key);
        if (unexpected.Count > 0) errors.Add("unexpected key(s): " + string.Join(", ", unexpected));
        if (stateDict.TryGetValue("step_count", out var sc) && sc.Numel != 1)
            errors.Add($"size mismatch for step_count: the checkpoint has shape {sc.ShapeString}, expected one element");
        if (errors.Count > 0)
        {
            var sb = new StringBuilder($"load_state_dict: error(s) loading the state dict of {GetType().Name}:");
            foreach (var e in errors) sb.Append("\n  ").Append(e);
            throw new ArgumentException(sb.ToString(), nameof(stateDict));
        }

        for (int i = 0; i < _parameters.Length; i++)
        {
            var state = _state[i];
            if (!present[i])
            {
                Array.Clear(state);
                _paramSteps[i] = 0;
                continue;
            }
            for (int k = 0; k < _stateNames.Length; k++)
            {
                state[k] ??= Tensor.Zeros(_parameters[i].ShapeArray());
                state[k]!.CopyFrom(stateDict[Key(i, _stateNames[k])]);
            }
            _paramSteps[i] = Math.Max(1, SavesParamSteps ? (long)stateDict[Key(i, "step")].Item() : StepCountOr(stateDict, 1));
        }
        StepCount = StepCountOr(stateDict, 0);
    }

    private static long StepCountOr(IReadOnlyDictionary<string, Tensor> dict, long fallback) =>
        dict.TryGetValue("step_count", out var t) ? (long)t.Item() : fallback;

    private IEnumerable<string> ExpectedKeys(int i)
    {
        foreach (var name in _stateNames) yield return Key(i, name);
        if (SavesParamSteps) yield return Key(i, "step");
    }

    private static IEnumerable<(int, string)> Enumerate(string[] names)
    {
        for (int k = 0; k < names.Length; k++) yield return (k, names[k]);
    }

    private static string Key(int i, string name) => string.Create(CultureInfo.InvariantCulture, $"state.{i}.{name}");
}
