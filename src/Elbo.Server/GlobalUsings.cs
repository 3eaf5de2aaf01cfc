global using Elbo.Engine.Tensors;
global using Tensor = Elbo.Engine.Tensors.Tensor;
global using Microsoft.AspNetCore.Http;
