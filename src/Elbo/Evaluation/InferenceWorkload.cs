using Elbo.Engine.Autograd;
using Elbo.Engine.Gemm;
using Elbo.Models;

namespace Elbo.Evaluation;

/// <summary>
/// The GEMM calls of a trained model's inference, recorded with <see cref="GemmTrace"/> so a GEMM calibration can time
/// exactly them: an encode and a decode at the batch the evaluations run (as many decoded rows as the importance
/// sampling's calls decode), and the same at one example (a server's request), all in eval mode without
/// gradients on zero inputs (the shapes do not depend on the values). Wide inputs are traced at fewer rows (at most
/// about 1.6 M input values, the MLP's 2048 × 784): a convolution's GEMMs are per image, so the batch changes their
/// count, not their shapes, and a 64×64 RGB decoder at 2048 rows would need gigabytes for one trace.
/// </summary>
public static class InferenceWorkload
{
    /// <summary>The shapes and call counts of one batch-<paramref name="rows"/> encode and decode and one single-example
    /// encode and decode of <paramref name="model"/>.</summary>
    public static IReadOnlyList<(GemmShape Shape, int Calls)> GemmCalls(LatentVariableModel model, int rows = 2048)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        model.Eval();
        int many = (int)Math.Clamp(1_605_632L / model.Input.Features, 1, rows);
        var arena = new TensorArena();
        using var trace = GemmTrace.Start();
        using (GradMode.NoGrad())
            foreach (var (encoded, decoded) in new[] { (Math.Min(many, 500), many), (1, 1) })
                using (arena.Step())
                {
                    model.Encode(Tensor.Zeros(encoded, model.Input.Features), model.IsConditional ? new int[encoded] : []);
                    model.Decode(Tensor.Zeros(decoded, model.Latent), model.IsConditional ? new int[decoded] : []);
                }
        return trace.Calls;
    }
}
