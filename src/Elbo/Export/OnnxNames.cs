namespace Elbo.Export;

/// <summary>The names of the exported graphs' inputs and outputs, and of their metadata_props keys: the one place
/// both files, their readers and docs/export.md take them from.</summary>
public static class OnnxNames
{
    /// <summary>Encoder input: the examples (batch, D), float32, as the run's data are fed to the model.</summary>
    public const string X = "x";

    /// <summary>Encoder and decoder input of a conditional model: the class of each example (batch), int64.</summary>
    public const string Label = "label";

    /// <summary>Decoder input (batch, L), float32; also the plain autoencoder's encoder output, its code.</summary>
    public const string Z = "z";

    /// <summary>Encoder output of a VAE: the mean of q(z|x) (batch, L).</summary>
    public const string Mu = "mu";

    /// <summary>Encoder output of a VAE: log σ² of q(z|x) (batch, L).</summary>
    public const string LogVar = "logvar";

    /// <summary>Decoder output: the parameters of p(x|z) as the likelihood reads them (batch, P·D).</summary>
    public const string Params = "params";

    /// <summary>Decoder output: the mean of p(x|z) (batch, D), what Elbo's pictures and samples show.</summary>
    public const string Mean = "mean";

    /// <summary>The metadata_props keys.</summary>
    public static class Keys
    {
        /// <summary>"encoder" or "decoder".</summary>
        public const string Graph = "elbo.graph";

        /// <summary>The model's registry name (mlp, conv, ae, cvae).</summary>
        public const string Model = "elbo.model";

        /// <summary>The likelihood's registry name.</summary>
        public const string Likelihood = "elbo.likelihood";

        /// <summary>The posterior family ("diagonal Gaussian", "point mass").</summary>
        public const string Posterior = "elbo.posterior";

        /// <summary>The latent size L.</summary>
        public const string Latent = "elbo.latent";

        /// <summary>The shape of one example as JSON: {"channels":…,"height":…,"width":…,"kind":…}.</summary>
        public const string Input = "elbo.input";

        /// <summary>config.json's normalization as JSON ({"kind":…,"mean":…,"std":…}).</summary>
        public const string Normalization = "elbo.normalization";

        /// <summary>The number of classes of a conditional model.</summary>
        public const string Classes = "elbo.classes";

        /// <summary>The label names by class number as a JSON array, where the data have them.</summary>
        public const string ClassNames = "elbo.class_names";

        /// <summary>A table run's column schema as JSON (as config.json's "table").</summary>
        public const string TableSchema = "elbo.table_schema";

        /// <summary>The run's config.json, whole.</summary>
        public const string Config = "elbo.config";

        /// <summary>The Elbo version that wrote the file.</summary>
        public const string Version = "elbo.version";
    }
}
