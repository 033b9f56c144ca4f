// Field lengths stand on the entities ([MaxLength]); EF Core's model and the entities are named throughout.
global using System.ComponentModel.DataAnnotations;
global using Fleet.Data.Entities;
global using Microsoft.EntityFrameworkCore;
