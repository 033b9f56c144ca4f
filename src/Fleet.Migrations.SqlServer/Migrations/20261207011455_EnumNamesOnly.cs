using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class EnumNamesOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Rows holding a value no enum name has (what comma-joined names made the previous version store): set to a
            // stated value, each with its audit entry (Fleet.Data.Auditing.EnumRepair).
            migrationBuilder.Sql(Fleet.Data.Auditing.EnumRepair.Sql("SqlServer"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
