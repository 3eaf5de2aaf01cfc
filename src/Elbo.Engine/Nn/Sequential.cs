namespace Elbo.Engine.Nn;

/// <summary>Applies its modules one after the other (torch.nn.Sequential). The children are named "0", "1", …, so
/// parameters are named like <c>0.weight</c>, and <c>encoder.0.weight</c> when the Sequential is registered as
/// <c>encoder</c>.</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> _modules = [];

    /// <summary>Creates the container with the given modules, in order.</summary>
    public Sequential(params Module[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var m in modules) Append(m);
    }

    /// <summary>Adds a module at the end (named by its position). Returns this container.</summary>
    public Sequential Append(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        RegisterModule(_modules.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        _modules.Add(module);
        return this;
    }

    /// <summary>The number of modules.</summary>
    public int Count => _modules.Count;

    /// <summary>The module at <paramref name="index"/>.</summary>
    public Module this[int index] => _modules[index];

    /// <inheritdoc/>
    // x → modules[n−1](…modules[0](x)). A batch norm followed by a LeakyReLU (the conv VAE's blocks) runs as one op
    // with the same values and gradients (BatchNormBase.ForwardThenLeakyRelu); the modules, their names and the
    // exported graph stay as they are.
    public override Tensor Forward(Tensor x)
    {
        for (int i = 0; i < _modules.Count; i++)
        {
            if (_modules[i] is BatchNormBase norm && i + 1 < _modules.Count && _modules[i + 1] is LeakyReLU activation)
            {
                x = norm.ForwardThenLeakyRelu(x, activation.NegativeSlope);
                i++;
                continue;
            }
            x = _modules[i].Forward(x);
        }
        return x;
    }
}
