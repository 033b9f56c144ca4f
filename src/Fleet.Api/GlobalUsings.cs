// What nearly every file of the host names: the plumbing, the model and EF Core.
global using Fleet.Api.Infrastructure;
global using Fleet.Data;
global using Fleet.Data.Entities;
global using Microsoft.EntityFrameworkCore;
