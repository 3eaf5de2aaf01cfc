global using Elbo.Engine.Tensors;
global using Tensor = Elbo.Engine.Tensors.Tensor;
