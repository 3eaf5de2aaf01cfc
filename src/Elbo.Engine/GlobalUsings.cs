// System.Numerics.Tensors also defines a Tensor type; inside the engine, Tensor always means ours.
global using Tensor = Elbo.Engine.Tensors.Tensor;
global using Elbo.Engine.Tensors;
