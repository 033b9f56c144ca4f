IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL
BEGIN
    CREATE TABLE [__EFMigrationsHistory] (
        [MigrationId] nvarchar(150) NOT NULL,
        [ProductVersion] nvarchar(32) NOT NULL,
        CONSTRAINT [PK___EFMigrationsHistory] PRIMARY KEY ([MigrationId])
    );
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE TABLE [AuditEntries] (
        [Id] bigint NOT NULL IDENTITY,
        [At] datetime2 NOT NULL,
        [Actor] nvarchar(64) NOT NULL,
        [Entity] nvarchar(64) NOT NULL,
        [EntityId] nvarchar(64) NOT NULL,
        [Action] nvarchar(32) NOT NULL,
        [Before] nvarchar(max) NULL,
        [After] nvarchar(max) NULL,
        CONSTRAINT [PK_AuditEntries] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE TABLE [Campaigns] (
        [Id] uniqueidentifier NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [StartsOn] date NOT NULL,
        [EndsOn] date NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        CONSTRAINT [PK_Campaigns] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE TABLE [Holidays] (
        [Id] uniqueidentifier NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        [FirstDay] date NOT NULL,
        [LastDay] date NOT NULL,
        CONSTRAINT [PK_Holidays] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE TABLE [Units] (
        [Id] uniqueidentifier NOT NULL,
        [Code] nvarchar(32) NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [Kind] nvarchar(32) NOT NULL,
        [ParentId] uniqueidentifier NULL,
        [VehicleQuota] int NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_Units] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Units_Units_ParentId] FOREIGN KEY ([ParentId]) REFERENCES [Units] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE TABLE [SealUpSchedules] (
        [Id] uniqueidentifier NOT NULL,
        [HolidayId] uniqueidentifier NOT NULL,
        [SealDeadline] datetime2 NOT NULL,
        [ReleaseAt] datetime2 NOT NULL,
        [Status] nvarchar(32) NOT NULL,
        [AllUnits] bit NOT NULL,
        [ExemptCategories] nvarchar(200) NOT NULL,
        [PublishedAt] datetime2 NOT NULL,
        [PublishedBy] nvarchar(64) NOT NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_SealUpSchedules] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_SealUpSchedules_Holidays_HolidayId] FOREIGN KEY ([HolidayId]) REFERENCES [Holidays] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE TABLE [Users] (
        [Id] uniqueidentifier NOT NULL,
        [Username] nvarchar(64) NOT NULL,
        [PasswordHash] nvarchar(256) NOT NULL,
        [Role] nvarchar(32) NOT NULL,
        [UnitId] uniqueidentifier NULL,
        [Disabled] bit NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_Users] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Users_Units_UnitId] FOREIGN KEY ([UnitId]) REFERENCES [Units] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE TABLE [Vehicles] (
        [Id] uniqueidentifier NOT NULL,
        [PlateNumber] nvarchar(16) NOT NULL,
        [Vin] nvarchar(17) NOT NULL,
        [Make] nvarchar(64) NOT NULL,
        [Model] nvarchar(64) NOT NULL,
        [Category] nvarchar(32) NOT NULL,
        [EngineDisplacement] decimal(5,2) NOT NULL,
        [PurchasePrice] decimal(18,2) NOT NULL,
        [AcquiredOn] date NOT NULL,
        [Source] nvarchar(32) NOT NULL,
        [UnitId] uniqueidentifier NOT NULL,
        [Status] nvarchar(32) NOT NULL,
        [OverStandard] bit NOT NULL,
        [RegisteredAt] datetime2 NOT NULL,
        [DisposedAt] datetime2 NULL,
        [DisposalReason] nvarchar(500) NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_Vehicles] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Vehicles_Units_UnitId] FOREIGN KEY ([UnitId]) REFERENCES [Units] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE TABLE [Reminders] (
        [Id] uniqueidentifier NOT NULL,
        [ScheduleId] uniqueidentifier NOT NULL,
        [UnitId] uniqueidentifier NOT NULL,
        [Recipients] nvarchar(1000) NOT NULL,
        [Body] nvarchar(4000) NOT NULL,
        [VehicleCount] int NOT NULL,
        [Status] nvarchar(32) NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        [SentAt] datetime2 NULL,
        [Attempts] int NOT NULL,
        [LastError] nvarchar(2000) NULL,
        CONSTRAINT [PK_Reminders] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Reminders_SealUpSchedules_ScheduleId] FOREIGN KEY ([ScheduleId]) REFERENCES [SealUpSchedules] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_Reminders_Units_UnitId] FOREIGN KEY ([UnitId]) REFERENCES [Units] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE TABLE [SealUpScheduleUnits] (
        [ScheduleId] uniqueidentifier NOT NULL,
        [UnitId] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_SealUpScheduleUnits] PRIMARY KEY ([ScheduleId], [UnitId]),
        CONSTRAINT [FK_SealUpScheduleUnits_SealUpSchedules_ScheduleId] FOREIGN KEY ([ScheduleId]) REFERENCES [SealUpSchedules] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_SealUpScheduleUnits_Units_UnitId] FOREIGN KEY ([UnitId]) REFERENCES [Units] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE TABLE [RecoveryCases] (
        [Id] uniqueidentifier NOT NULL,
        [CampaignId] uniqueidentifier NOT NULL,
        [VehicleId] uniqueidentifier NULL,
        [PlateNumber] nvarchar(16) NOT NULL,
        [UnitId] uniqueidentifier NOT NULL,
        [Reason] nvarchar(32) NOT NULL,
        [DueOn] date NOT NULL,
        [Status] nvarchar(32) NOT NULL,
        [RecoveredOn] date NULL,
        [Disposition] nvarchar(32) NULL,
        [CancelReason] nvarchar(1000) NULL,
        [PastDue] bit NOT NULL,
        [OpenedAt] datetime2 NOT NULL,
        [OpenedBy] nvarchar(64) NOT NULL,
        [ClosedAt] datetime2 NULL,
        [ClosedBy] nvarchar(64) NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_RecoveryCases] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_RecoveryCases_Campaigns_CampaignId] FOREIGN KEY ([CampaignId]) REFERENCES [Campaigns] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_RecoveryCases_Units_UnitId] FOREIGN KEY ([UnitId]) REFERENCES [Units] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_RecoveryCases_Vehicles_VehicleId] FOREIGN KEY ([VehicleId]) REFERENCES [Vehicles] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE TABLE [SealOrders] (
        [Id] uniqueidentifier NOT NULL,
        [ScheduleId] uniqueidentifier NOT NULL,
        [VehicleId] uniqueidentifier NOT NULL,
        [UnitId] uniqueidentifier NOT NULL,
        [Status] nvarchar(32) NOT NULL,
        [SealNumber] nvarchar(64) NULL,
        [ParkingPlace] nvarchar(200) NULL,
        [SealedAt] datetime2 NULL,
        [SealedBy] nvarchar(64) NULL,
        [Late] bit NOT NULL,
        [OverdueAt] datetime2 NULL,
        [BreachedAt] datetime2 NULL,
        [ReleasedAt] datetime2 NULL,
        [CreatedAt] datetime2 NOT NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_SealOrders] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_SealOrders_SealUpSchedules_ScheduleId] FOREIGN KEY ([ScheduleId]) REFERENCES [SealUpSchedules] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_SealOrders_Units_UnitId] FOREIGN KEY ([UnitId]) REFERENCES [Units] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_SealOrders_Vehicles_VehicleId] FOREIGN KEY ([VehicleId]) REFERENCES [Vehicles] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE TABLE [SpotChecks] (
        [Id] uniqueidentifier NOT NULL,
        [VehicleId] uniqueidentifier NULL,
        [PlateNumber] nvarchar(16) NOT NULL,
        [UnitId] uniqueidentifier NOT NULL,
        [CheckedAt] datetime2 NOT NULL,
        [Location] nvarchar(200) NOT NULL,
        [Finding] nvarchar(32) NOT NULL,
        [Notes] nvarchar(2000) NULL,
        [CorrectsId] uniqueidentifier NULL,
        [ViolationId] uniqueidentifier NULL,
        [RecordedAt] datetime2 NOT NULL,
        [RecordedBy] nvarchar(64) NOT NULL,
        CONSTRAINT [PK_SpotChecks] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_SpotChecks_SpotChecks_CorrectsId] FOREIGN KEY ([CorrectsId]) REFERENCES [SpotChecks] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_SpotChecks_Units_UnitId] FOREIGN KEY ([UnitId]) REFERENCES [Units] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_SpotChecks_Vehicles_VehicleId] FOREIGN KEY ([VehicleId]) REFERENCES [Vehicles] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE TABLE [Violations] (
        [Id] uniqueidentifier NOT NULL,
        [Type] nvarchar(32) NOT NULL,
        [VehicleId] uniqueidentifier NULL,
        [PlateNumber] nvarchar(16) NULL,
        [UnitId] uniqueidentifier NOT NULL,
        [DetectedAt] datetime2 NOT NULL,
        [Source] nvarchar(32) NOT NULL,
        [SourceId] uniqueidentifier NULL,
        [DedupKey] nvarchar(120) NULL,
        [Status] nvarchar(32) NOT NULL,
        [Notes] nvarchar(2000) NULL,
        [ClosedAt] datetime2 NULL,
        [ClosedBy] nvarchar(64) NULL,
        [CloseReason] nvarchar(1000) NULL,
        [RecordedBy] nvarchar(64) NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_Violations] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Violations_Units_UnitId] FOREIGN KEY ([UnitId]) REFERENCES [Units] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_Violations_Vehicles_VehicleId] FOREIGN KEY ([VehicleId]) REFERENCES [Vehicles] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE TABLE [Exemptions] (
        [Id] uniqueidentifier NOT NULL,
        [SealOrderId] uniqueidentifier NOT NULL,
        [ScheduleId] uniqueidentifier NOT NULL,
        [VehicleId] uniqueidentifier NOT NULL,
        [UnitId] uniqueidentifier NOT NULL,
        [Reason] nvarchar(1000) NOT NULL,
        [Status] nvarchar(32) NOT NULL,
        [RequestedAt] datetime2 NOT NULL,
        [RequestedBy] nvarchar(64) NOT NULL,
        [DecidedAt] datetime2 NULL,
        [DecidedBy] nvarchar(64) NULL,
        [DecisionNote] nvarchar(1000) NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_Exemptions] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Exemptions_SealOrders_SealOrderId] FOREIGN KEY ([SealOrderId]) REFERENCES [SealOrders] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_Exemptions_Units_UnitId] FOREIGN KEY ([UnitId]) REFERENCES [Units] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE TABLE [PersonActions] (
        [Id] uniqueidentifier NOT NULL,
        [ViolationId] uniqueidentifier NOT NULL,
        [PersonName] nvarchar(100) NOT NULL,
        [Position] nvarchar(100) NOT NULL,
        [Action] nvarchar(32) NOT NULL,
        [Note] nvarchar(2000) NULL,
        [RecordedAt] datetime2 NOT NULL,
        [RecordedBy] nvarchar(64) NOT NULL,
        CONSTRAINT [PK_PersonActions] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_PersonActions_Violations_ViolationId] FOREIGN KEY ([ViolationId]) REFERENCES [Violations] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_AuditEntries_At] ON [AuditEntries] ([At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_AuditEntries_Entity_EntityId] ON [AuditEntries] ([Entity], [EntityId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Campaigns_Name] ON [Campaigns] ([Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_Exemptions_ScheduleId_Status] ON [Exemptions] ([ScheduleId], [Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_Exemptions_SealOrderId] ON [Exemptions] ([SealOrderId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_Exemptions_UnitId] ON [Exemptions] ([UnitId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Holidays_Name_FirstDay] ON [Holidays] ([Name], [FirstDay]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_PersonActions_ViolationId] ON [PersonActions] ([ViolationId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_RecoveryCases_CampaignId_UnitId_Status] ON [RecoveryCases] ([CampaignId], [UnitId], [Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_RecoveryCases_Status_DueOn] ON [RecoveryCases] ([Status], [DueOn]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_RecoveryCases_UnitId] ON [RecoveryCases] ([UnitId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_RecoveryCases_VehicleId] ON [RecoveryCases] ([VehicleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Reminders_ScheduleId_UnitId] ON [Reminders] ([ScheduleId], [UnitId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_Reminders_Status] ON [Reminders] ([Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_Reminders_UnitId] ON [Reminders] ([UnitId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_SealOrders_ScheduleId_Status] ON [SealOrders] ([ScheduleId], [Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_SealOrders_ScheduleId_UnitId] ON [SealOrders] ([ScheduleId], [UnitId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_SealOrders_ScheduleId_VehicleId] ON [SealOrders] ([ScheduleId], [VehicleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_SealOrders_UnitId] ON [SealOrders] ([UnitId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_SealOrders_VehicleId] ON [SealOrders] ([VehicleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_SealUpSchedules_HolidayId] ON [SealUpSchedules] ([HolidayId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_SealUpSchedules_Status] ON [SealUpSchedules] ([Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_SealUpScheduleUnits_UnitId] ON [SealUpScheduleUnits] ([UnitId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_SpotChecks_CheckedAt] ON [SpotChecks] ([CheckedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_SpotChecks_CorrectsId] ON [SpotChecks] ([CorrectsId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_SpotChecks_UnitId_CheckedAt] ON [SpotChecks] ([UnitId], [CheckedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_SpotChecks_VehicleId] ON [SpotChecks] ([VehicleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Units_Code] ON [Units] ([Code]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_Units_ParentId] ON [Units] ([ParentId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_Users_UnitId] ON [Users] ([UnitId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Users_Username] ON [Users] ([Username]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Vehicles_PlateNumber] ON [Vehicles] ([PlateNumber]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_Vehicles_Status] ON [Vehicles] ([Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_Vehicles_UnitId_Status] ON [Vehicles] ([UnitId], [Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Vehicles_Vin] ON [Vehicles] ([Vin]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_Violations_DedupKey] ON [Violations] ([DedupKey]) WHERE [DedupKey] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_Violations_DetectedAt] ON [Violations] ([DetectedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_Violations_UnitId_DetectedAt] ON [Violations] ([UnitId], [DetectedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    CREATE INDEX [IX_Violations_VehicleId] ON [Violations] ([VehicleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127150356_Initial'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261127150356_Initial', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127151636_SealUp'
)
BEGIN
    ALTER TABLE [Reminders] ADD [Version] int NOT NULL DEFAULT 0;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127151636_SealUp'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_SealOrders_ScheduleId_SealNumber] ON [SealOrders] ([ScheduleId], [SealNumber]) WHERE [SealNumber] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261127151636_SealUp'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261127151636_SealUp', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128105032_RulesThatHold'
)
BEGIN
    ALTER TABLE [SealOrders] ADD [BreachedBy] uniqueidentifier NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128105032_RulesThatHold'
)
BEGIN
    ALTER TABLE [SealOrders] ADD [ReleasedEarly] bit NOT NULL DEFAULT CAST(0 AS bit);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128105032_RulesThatHold'
)
BEGIN
    CREATE TABLE [SpotCheckCorrections] (
        [CorrectedId] uniqueidentifier NOT NULL,
        [CorrectionId] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_SpotCheckCorrections] PRIMARY KEY ([CorrectedId]),
        CONSTRAINT [FK_SpotCheckCorrections_SpotChecks_CorrectedId] FOREIGN KEY ([CorrectedId]) REFERENCES [SpotChecks] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_SpotCheckCorrections_SpotChecks_CorrectionId] FOREIGN KEY ([CorrectionId]) REFERENCES [SpotChecks] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128105032_RulesThatHold'
)
BEGIN
    -- Races the earlier check-then-insert let through would stop the unique indexes below. The earliest open case per
    -- plate and the earliest open request per order stay; later ones are closed, each with its audit entry.
    INSERT INTO [AuditEntries] ([At], [Actor], [Entity], [EntityId], [Action], [Before], [After])
    SELECT SYSUTCDATETIME(), 'system:migration', 'RecoveryCase', LOWER(CAST(r.[Id] AS nvarchar(36))), 'Cancel',
        CONCAT('{"cancelReason":null,"closedAt":null,"closedBy":null,"status":"Open","version":', r.[Version], '}'),
        CONCAT('{"cancelReason":"A second open case for the same plate, cancelled when one open case per plate became a rule.","closedAt":"', CONCAT(CONVERT(varchar(27), SYSUTCDATETIME(), 126), 'Z'), '","closedBy":"system:migration","status":"Cancelled","version":', r.[Version] + 1, '}')
    FROM [RecoveryCases] r WHERE r.[Status] = 'Open' AND EXISTS (SELECT 1 FROM [RecoveryCases] o WHERE o.[Status] = 'Open' AND o.[PlateNumber] = r.[PlateNumber] AND (o.[OpenedAt] < r.[OpenedAt] OR (o.[OpenedAt] = r.[OpenedAt] AND o.[Id] < r.[Id])));
    UPDATE [RecoveryCases] SET [Status] = 'Cancelled', [CancelReason] = 'A second open case for the same plate, cancelled when one open case per plate became a rule.', [ClosedAt] = SYSUTCDATETIME(), [ClosedBy] = 'system:migration', [Version] = [Version] + 1
    WHERE [RecoveryCases].[Status] = 'Open' AND EXISTS (SELECT 1 FROM [RecoveryCases] o WHERE o.[Status] = 'Open' AND o.[PlateNumber] = [RecoveryCases].[PlateNumber] AND (o.[OpenedAt] < [RecoveryCases].[OpenedAt] OR (o.[OpenedAt] = [RecoveryCases].[OpenedAt] AND o.[Id] < [RecoveryCases].[Id])));
    INSERT INTO [AuditEntries] ([At], [Actor], [Entity], [EntityId], [Action], [Before], [After])
    SELECT SYSUTCDATETIME(), 'system:migration', 'Exemption', LOWER(CAST(r.[Id] AS nvarchar(36))), 'Reject',
        CONCAT('{"decidedAt":null,"decidedBy":null,"decisionNote":null,"status":"Requested","version":', r.[Version], '}'),
        CONCAT('{"decidedAt":"', CONCAT(CONVERT(varchar(27), SYSUTCDATETIME(), 126), 'Z'), '","decidedBy":"system:migration","decisionNote":"A second open request for the same order, rejected when one open request per order became a rule.","status":"Rejected","version":', r.[Version] + 1, '}')
    FROM [Exemptions] r WHERE r.[Status] = 'Requested' AND EXISTS (SELECT 1 FROM [Exemptions] o WHERE o.[Status] = 'Requested' AND o.[SealOrderId] = r.[SealOrderId] AND (o.[RequestedAt] < r.[RequestedAt] OR (o.[RequestedAt] = r.[RequestedAt] AND o.[Id] < r.[Id])));
    UPDATE [Exemptions] SET [Status] = 'Rejected', [DecisionNote] = 'A second open request for the same order, rejected when one open request per order became a rule.', [DecidedAt] = SYSUTCDATETIME(), [DecidedBy] = 'system:migration', [Version] = [Version] + 1
    WHERE [Exemptions].[Status] = 'Requested' AND EXISTS (SELECT 1 FROM [Exemptions] o WHERE o.[Status] = 'Requested' AND o.[SealOrderId] = [Exemptions].[SealOrderId] AND (o.[RequestedAt] < [Exemptions].[RequestedAt] OR (o.[RequestedAt] = [Exemptions].[RequestedAt] AND o.[Id] < [Exemptions].[Id])));
    -- A check is corrected once: the first correction of each check recorded so far.
    INSERT INTO [SpotCheckCorrections] ([CorrectedId], [CorrectionId])
    SELECT s.[CorrectsId], s.[Id] FROM [SpotChecks] s
    WHERE s.[CorrectsId] IS NOT NULL AND NOT EXISTS (SELECT 1 FROM [SpotChecks] e WHERE e.[CorrectsId] = s.[CorrectsId] AND (e.[RecordedAt] < s.[RecordedAt] OR (e.[RecordedAt] = s.[RecordedAt] AND e.[Id] < s.[Id])));
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128105032_RulesThatHold'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_RecoveryCases_PlateNumber_Open] ON [RecoveryCases] ([PlateNumber]) WHERE [Status] = ''Open''');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128105032_RulesThatHold'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_Exemptions_SealOrderId_Requested] ON [Exemptions] ([SealOrderId]) WHERE [Status] = ''Requested''');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128105032_RulesThatHold'
)
BEGIN
    CREATE UNIQUE INDEX [IX_SpotCheckCorrections_CorrectionId] ON [SpotCheckCorrections] ([CorrectionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128105032_RulesThatHold'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261128105032_RulesThatHold', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128110646_Accounts'
)
BEGIN
    ALTER TABLE [Users] ADD [DisplayName] nvarchar(64) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128110646_Accounts'
)
BEGIN
    ALTER TABLE [Users] ADD [LastSignInAt] datetime2 NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128110646_Accounts'
)
BEGIN
    ALTER TABLE [Users] ADD [Phone] nvarchar(32) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128110646_Accounts'
)
BEGIN
    ALTER TABLE [Users] ADD [SecurityStamp] nvarchar(32) NOT NULL DEFAULT N'';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128110646_Accounts'
)
BEGIN
    CREATE TABLE [SignInAttempts] (
        [Id] bigint NOT NULL IDENTITY,
        [Key] nvarchar(200) NOT NULL,
        [At] datetime2 NOT NULL,
        CONSTRAINT [PK_SignInAttempts] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128110646_Accounts'
)
BEGIN
    CREATE INDEX [IX_SignInAttempts_At] ON [SignInAttempts] ([At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128110646_Accounts'
)
BEGIN
    CREATE INDEX [IX_SignInAttempts_Key_At] ON [SignInAttempts] ([Key], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128110646_Accounts'
)
BEGIN
    UPDATE [Users] SET [SecurityStamp] = LOWER(REPLACE(CONVERT(varchar(36), NEWID()), '-', ''));
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128110646_Accounts'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261128110646_Accounts', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128162007_ReportArchive'
)
BEGIN
    CREATE TABLE [ArchivedReports] (
        [Id] uniqueidentifier NOT NULL,
        [Month] nvarchar(7) NOT NULL,
        [Report] nvarchar(32) NOT NULL,
        [Subject] nvarchar(64) NOT NULL,
        [Filters] nvarchar(1000) NOT NULL,
        [FileName] nvarchar(200) NOT NULL,
        [Sha256] nchar(64) NOT NULL,
        [Size] bigint NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        [CreatedBy] nvarchar(64) NOT NULL,
        CONSTRAINT [PK_ArchivedReports] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128162007_ReportArchive'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ArchivedReports_Month_Report_Subject] ON [ArchivedReports] ([Month], [Report], [Subject]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128162007_ReportArchive'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261128162007_ReportArchive', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128170147_AuditEntityIdLength'
)
BEGIN
    DROP INDEX [IX_AuditEntries_Entity_EntityId] ON [AuditEntries];
    DECLARE @var nvarchar(max);
    SELECT @var = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[AuditEntries]') AND [c].[name] = N'EntityId');
    IF @var IS NOT NULL EXEC(N'ALTER TABLE [AuditEntries] DROP CONSTRAINT ' + @var + ';');
    ALTER TABLE [AuditEntries] ALTER COLUMN [EntityId] nvarchar(128) NOT NULL;
    CREATE INDEX [IX_AuditEntries_Entity_EntityId] ON [AuditEntries] ([Entity], [EntityId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128170147_AuditEntityIdLength'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261128170147_AuditEntityIdLength', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128194549_CoveringComplianceIndex'
)
BEGIN
    DROP INDEX [IX_SealOrders_ScheduleId_UnitId] ON [SealOrders];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128194549_CoveringComplianceIndex'
)
BEGIN
    CREATE INDEX [IX_SealOrders_ScheduleId_UnitId_Status_Late_ReleasedEarly] ON [SealOrders] ([ScheduleId], [UnitId], [Status], [Late], [ReleasedEarly]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128194549_CoveringComplianceIndex'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261128194549_CoveringComplianceIndex', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128224444_SealOrderCounts'
)
BEGIN
    CREATE TABLE [SealOrderCounts] (
        [ScheduleId] uniqueidentifier NOT NULL,
        [UnitId] uniqueidentifier NOT NULL,
        [Status] nvarchar(32) NOT NULL,
        [Late] bit NOT NULL,
        [ReleasedEarly] bit NOT NULL,
        [Orders] int NOT NULL,
        CONSTRAINT [PK_SealOrderCounts] PRIMARY KEY ([ScheduleId], [UnitId], [Status], [Late], [ReleasedEarly])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128224444_SealOrderCounts'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261128224444_SealOrderCounts', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128233652_UsageRecords'
)
BEGIN
    CREATE TABLE [UsageRecords] (
        [Id] uniqueidentifier NOT NULL,
        [Kind] nvarchar(32) NOT NULL,
        [VehicleId] uniqueidentifier NOT NULL,
        [PlateNumber] nvarchar(32) NOT NULL,
        [UnitId] uniqueidentifier NOT NULL,
        [StartedAt] datetime2 NOT NULL,
        [EndedAt] datetime2 NOT NULL,
        [Place] nvarchar(200) NOT NULL,
        [EndPlace] nvarchar(200) NULL,
        [Quantity] decimal(18,2) NULL,
        [Amount] decimal(18,2) NULL,
        [NaturalKey] nvarchar(400) NOT NULL,
        [ImportedAt] datetime2 NOT NULL,
        [ImportedBy] nvarchar(64) NOT NULL,
        CONSTRAINT [PK_UsageRecords] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_UsageRecords_Units_UnitId] FOREIGN KEY ([UnitId]) REFERENCES [Units] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_UsageRecords_Vehicles_VehicleId] FOREIGN KEY ([VehicleId]) REFERENCES [Vehicles] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128233652_UsageRecords'
)
BEGIN
    CREATE UNIQUE INDEX [IX_UsageRecords_NaturalKey] ON [UsageRecords] ([NaturalKey]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128233652_UsageRecords'
)
BEGIN
    CREATE INDEX [IX_UsageRecords_StartedAt] ON [UsageRecords] ([StartedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128233652_UsageRecords'
)
BEGIN
    CREATE INDEX [IX_UsageRecords_UnitId_StartedAt] ON [UsageRecords] ([UnitId], [StartedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128233652_UsageRecords'
)
BEGIN
    CREATE INDEX [IX_UsageRecords_VehicleId_StartedAt] ON [UsageRecords] ([VehicleId], [StartedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128233652_UsageRecords'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261128233652_UsageRecords', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129014045_UsageEvidenceDeliveries'
)
BEGIN
    ALTER TABLE [UsageRecords] ADD [ImportId] uniqueidentifier NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129014045_UsageEvidenceDeliveries'
)
BEGIN
    ALTER TABLE [Reminders] ADD [NextAttemptAt] datetime2 NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129014045_UsageEvidenceDeliveries'
)
BEGIN
    CREATE TABLE [Evidence] (
        [Id] uniqueidentifier NOT NULL,
        [SubjectType] nvarchar(32) NOT NULL,
        [SubjectId] uniqueidentifier NOT NULL,
        [Number] int NOT NULL,
        [UnitId] uniqueidentifier NOT NULL,
        [Sha256] varchar(64) NOT NULL,
        [ContentType] nvarchar(32) NOT NULL,
        [Size] bigint NOT NULL,
        [TakenAt] datetime2 NULL,
        [Latitude] float NULL,
        [Longitude] float NULL,
        [UploadedAt] datetime2 NOT NULL,
        [UploadedBy] nvarchar(64) NOT NULL,
        CONSTRAINT [PK_Evidence] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Evidence_Units_UnitId] FOREIGN KEY ([UnitId]) REFERENCES [Units] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129014045_UsageEvidenceDeliveries'
)
BEGIN
    CREATE TABLE [ReminderDeliveries] (
        [Id] uniqueidentifier NOT NULL,
        [ReminderId] uniqueidentifier NOT NULL,
        [Channel] nvarchar(32) NOT NULL,
        [Recipient] nvarchar(200) NOT NULL,
        [Status] nvarchar(32) NOT NULL,
        [AttemptedAt] datetime2 NOT NULL,
        [Error] nvarchar(2000) NULL,
        CONSTRAINT [PK_ReminderDeliveries] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_ReminderDeliveries_Reminders_ReminderId] FOREIGN KEY ([ReminderId]) REFERENCES [Reminders] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129014045_UsageEvidenceDeliveries'
)
BEGIN
    CREATE TABLE [UsageImports] (
        [Id] uniqueidentifier NOT NULL,
        [Kind] nvarchar(32) NOT NULL,
        [FileName] nvarchar(260) NOT NULL,
        [Sha256] varchar(64) NOT NULL,
        [Rows] int NOT NULL,
        [Imported] int NOT NULL,
        [Duplicates] int NOT NULL,
        [ImportedAt] datetime2 NOT NULL,
        [ImportedBy] nvarchar(64) NOT NULL,
        CONSTRAINT [PK_UsageImports] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129014045_UsageEvidenceDeliveries'
)
BEGIN
    CREATE TABLE [ViolationUsages] (
        [ViolationId] uniqueidentifier NOT NULL,
        [UsageRecordId] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_ViolationUsages] PRIMARY KEY ([ViolationId], [UsageRecordId]),
        CONSTRAINT [FK_ViolationUsages_UsageRecords_UsageRecordId] FOREIGN KEY ([UsageRecordId]) REFERENCES [UsageRecords] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_ViolationUsages_Violations_ViolationId] FOREIGN KEY ([ViolationId]) REFERENCES [Violations] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129014045_UsageEvidenceDeliveries'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Evidence_SubjectType_SubjectId_Number] ON [Evidence] ([SubjectType], [SubjectId], [Number]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129014045_UsageEvidenceDeliveries'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Evidence_SubjectType_SubjectId_Sha256] ON [Evidence] ([SubjectType], [SubjectId], [Sha256]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129014045_UsageEvidenceDeliveries'
)
BEGIN
    CREATE INDEX [IX_Evidence_UnitId] ON [Evidence] ([UnitId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129014045_UsageEvidenceDeliveries'
)
BEGIN
    CREATE INDEX [IX_ReminderDeliveries_ReminderId_Channel_Recipient] ON [ReminderDeliveries] ([ReminderId], [Channel], [Recipient]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129014045_UsageEvidenceDeliveries'
)
BEGIN
    CREATE INDEX [IX_UsageImports_ImportedAt] ON [UsageImports] ([ImportedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129014045_UsageEvidenceDeliveries'
)
BEGIN
    CREATE INDEX [IX_ViolationUsages_UsageRecordId] ON [ViolationUsages] ([UsageRecordId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129014045_UsageEvidenceDeliveries'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129014045_UsageEvidenceDeliveries', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129040335_UsageRecordsByTime'
)
BEGIN
    ALTER TABLE [UsageRecords] DROP CONSTRAINT [FK_UsageRecords_Vehicles_VehicleId];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129040335_UsageRecordsByTime'
)
BEGIN
    DROP INDEX [IX_UsageRecords_VehicleId_StartedAt] ON [UsageRecords];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129040335_UsageRecordsByTime'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129040335_UsageRecordsByTime', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129041601_VehicleFuelCards'
)
BEGIN
    ALTER TABLE [Vehicles] ADD [FuelCardNumber] nvarchar(32) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129041601_VehicleFuelCards'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_Vehicles_FuelCardNumber] ON [Vehicles] ([FuelCardNumber]) WHERE [FuelCardNumber] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129041601_VehicleFuelCards'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129041601_VehicleFuelCards', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207011455_EnumNamesOnly'
)
BEGIN
    INSERT INTO [AuditEntries] ([At], [Actor], [Entity], [EntityId], [Action], [Before], [After])
    SELECT SYSUTCDATETIME(), 'system:migration', 'Unit', LOWER(CAST(t.[Id] AS nvarchar(36))), 'Repair', CONCAT('{"kind":"', REPLACE(REPLACE(t.[Kind], '\', '\\'), '"', '\"'), '","version":', t.[Version], '}'), CONCAT('{"kind":"Institution","version":', t.[Version] + 1, '}') FROM [Units] t WHERE t.[Kind] IS NOT NULL AND t.[Kind] NOT IN ('Department', 'SubDistrictOffice', 'Institution');
    UPDATE [Units] SET [Kind] = 'Institution', [Version] = [Version] + 1
    WHERE [Kind] IS NOT NULL AND [Kind] NOT IN ('Department', 'SubDistrictOffice', 'Institution');
    INSERT INTO [AuditEntries] ([At], [Actor], [Entity], [EntityId], [Action], [Before], [After])
    SELECT SYSUTCDATETIME(), 'system:migration', 'User', LOWER(CAST(t.[Id] AS nvarchar(36))), 'Repair', CONCAT('{"role":"', REPLACE(REPLACE(t.[Role], '\', '\\'), '"', '\"'), '","version":', t.[Version], '}'), CONCAT('{"role":"Auditor","version":', t.[Version] + 1, '}') FROM [Users] t WHERE t.[Role] IS NOT NULL AND t.[Role] NOT IN ('Admin', 'VehicleAdmin', 'Inspector', 'Auditor');
    UPDATE [Users] SET [Role] = 'Auditor', [Version] = [Version] + 1
    WHERE [Role] IS NOT NULL AND [Role] NOT IN ('Admin', 'VehicleAdmin', 'Inspector', 'Auditor');
    INSERT INTO [AuditEntries] ([At], [Actor], [Entity], [EntityId], [Action], [Before], [After])
    SELECT SYSUTCDATETIME(), 'system:migration', 'Vehicle', LOWER(CAST(t.[Id] AS nvarchar(36))), 'Repair', CONCAT('{"category":"', REPLACE(REPLACE(t.[Category], '\', '\\'), '"', '\"'), '","version":', t.[Version], '}'), CONCAT('{"category":"General","version":', t.[Version] + 1, '}') FROM [Vehicles] t WHERE t.[Category] IS NOT NULL AND t.[Category] NOT IN ('General', 'LawEnforcement', 'SpecialPurpose', 'Emergency');
    UPDATE [Vehicles] SET [Category] = 'General', [Version] = [Version] + 1
    WHERE [Category] IS NOT NULL AND [Category] NOT IN ('General', 'LawEnforcement', 'SpecialPurpose', 'Emergency');
    INSERT INTO [AuditEntries] ([At], [Actor], [Entity], [EntityId], [Action], [Before], [After])
    SELECT SYSUTCDATETIME(), 'system:migration', 'Vehicle', LOWER(CAST(t.[Id] AS nvarchar(36))), 'Repair', CONCAT('{"source":"', REPLACE(REPLACE(t.[Source], '\', '\\'), '"', '\"'), '","version":', t.[Version], '}'), CONCAT('{"source":"Allocated","version":', t.[Version] + 1, '}') FROM [Vehicles] t WHERE t.[Source] IS NOT NULL AND t.[Source] NOT IN ('Allocated', 'BorrowedFromEnterprise', 'Seconded', 'Unregistered');
    UPDATE [Vehicles] SET [Source] = 'Allocated', [Version] = [Version] + 1
    WHERE [Source] IS NOT NULL AND [Source] NOT IN ('Allocated', 'BorrowedFromEnterprise', 'Seconded', 'Unregistered');
    INSERT INTO [AuditEntries] ([At], [Actor], [Entity], [EntityId], [Action], [Before], [After])
    SELECT SYSUTCDATETIME(), 'system:migration', 'SpotCheck', LOWER(CAST(t.[Id] AS nvarchar(36))), 'Repair', CONCAT('{"finding":"', REPLACE(REPLACE(t.[Finding], '\', '\\'), '"', '\"'), '"}'), '{"finding":"Other"}' FROM [SpotChecks] t WHERE t.[Finding] IS NOT NULL AND t.[Finding] NOT IN ('Compliant', 'SealBroken', 'VehicleMissing', 'PrivateUse', 'OffSiteParking', 'UnregisteredVehicle', 'Other');
    UPDATE [SpotChecks] SET [Finding] = 'Other'
    WHERE [Finding] IS NOT NULL AND [Finding] NOT IN ('Compliant', 'SealBroken', 'VehicleMissing', 'PrivateUse', 'OffSiteParking', 'UnregisteredVehicle', 'Other');
    INSERT INTO [AuditEntries] ([At], [Actor], [Entity], [EntityId], [Action], [Before], [After])
    SELECT SYSUTCDATETIME(), 'system:migration', 'Violation', LOWER(CAST(t.[Id] AS nvarchar(36))), 'Repair', CONCAT('{"type":"', REPLACE(REPLACE(t.[Type], '\', '\\'), '"', '\"'), '","version":', t.[Version], '}'), CONCAT('{"type":"Other","version":', t.[Version] + 1, '}') FROM [Violations] t WHERE t.[Type] IS NOT NULL AND t.[Type] NOT IN ('OverQuota', 'OverStandard', 'IllegalSource', 'SealDeadlineMissed', 'SealBroken', 'VehicleMissing', 'PrivateUse', 'OffSiteParking', 'UnregisteredVehicle', 'Other', 'UsedWhileSealed', 'OffHoursUse');
    UPDATE [Violations] SET [Type] = 'Other', [Version] = [Version] + 1
    WHERE [Type] IS NOT NULL AND [Type] NOT IN ('OverQuota', 'OverStandard', 'IllegalSource', 'SealDeadlineMissed', 'SealBroken', 'VehicleMissing', 'PrivateUse', 'OffSiteParking', 'UnregisteredVehicle', 'Other', 'UsedWhileSealed', 'OffHoursUse');
    INSERT INTO [AuditEntries] ([At], [Actor], [Entity], [EntityId], [Action], [Before], [After])
    SELECT SYSUTCDATETIME(), 'system:migration', 'PersonAction', LOWER(CAST(t.[Id] AS nvarchar(36))), 'Repair', CONCAT('{"action":"', REPLACE(REPLACE(t.[Action], '\', '\\'), '"', '\"'), '"}'), '{"action":"Reminder"}' FROM [PersonActions] t WHERE t.[Action] IS NOT NULL AND t.[Action] NOT IN ('Reminder', 'Admonishment', 'Criticism', 'PartyDiscipline', 'GovernmentSanction', 'Transferred');
    UPDATE [PersonActions] SET [Action] = 'Reminder'
    WHERE [Action] IS NOT NULL AND [Action] NOT IN ('Reminder', 'Admonishment', 'Criticism', 'PartyDiscipline', 'GovernmentSanction', 'Transferred');
    INSERT INTO [AuditEntries] ([At], [Actor], [Entity], [EntityId], [Action], [Before], [After])
    SELECT SYSUTCDATETIME(), 'system:migration', 'RecoveryCase', LOWER(CAST(t.[Id] AS nvarchar(36))), 'Repair', CONCAT('{"reason":"', REPLACE(REPLACE(t.[Reason], '\', '\\'), '"', '\"'), '","version":', t.[Version], '}'), CONCAT('{"reason":"Other","version":', t.[Version] + 1, '}') FROM [RecoveryCases] t WHERE t.[Reason] IS NOT NULL AND t.[Reason] NOT IN ('OverQuota', 'BorrowedFromEnterprise', 'OverStandard', 'Unregistered', 'Other');
    UPDATE [RecoveryCases] SET [Reason] = 'Other', [Version] = [Version] + 1
    WHERE [Reason] IS NOT NULL AND [Reason] NOT IN ('OverQuota', 'BorrowedFromEnterprise', 'OverStandard', 'Unregistered', 'Other');
    INSERT INTO [AuditEntries] ([At], [Actor], [Entity], [EntityId], [Action], [Before], [After])
    SELECT SYSUTCDATETIME(), 'system:migration', 'RecoveryCase', LOWER(CAST(t.[Id] AS nvarchar(36))), 'Repair', CONCAT('{"disposition":"', REPLACE(REPLACE(t.[Disposition], '\', '\\'), '"', '\"'), '","version":', t.[Version], '}'), CONCAT('{"disposition":"ReturnedToOwner","version":', t.[Version] + 1, '}') FROM [RecoveryCases] t WHERE t.[Disposition] IS NOT NULL AND t.[Disposition] NOT IN ('ReturnedToOwner', 'Reassigned', 'Auctioned', 'Scrapped');
    UPDATE [RecoveryCases] SET [Disposition] = 'ReturnedToOwner', [Version] = [Version] + 1
    WHERE [Disposition] IS NOT NULL AND [Disposition] NOT IN ('ReturnedToOwner', 'Reassigned', 'Auctioned', 'Scrapped');

END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207011455_EnumNamesOnly'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207011455_EnumNamesOnly', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    CREATE TABLE [Regions] (
        [Id] uniqueidentifier NOT NULL,
        [Code] int NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        [Level] nvarchar(32) NOT NULL,
        [ParentId] uniqueidentifier NULL,
        [CreatedAt] datetime2 NOT NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_Regions] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Regions_Regions_ParentId] FOREIGN KEY ([ParentId]) REFERENCES [Regions] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    IF EXISTS (SELECT * FROM [sys].[identity_columns] WHERE [name] IN (N'Id', N'Code', N'Name', N'Level', N'ParentId', N'CreatedAt', N'Version') AND [object_id] = OBJECT_ID(N'[Regions]'))
        SET IDENTITY_INSERT [Regions] ON;
    EXEC(N'INSERT INTO [Regions] ([Id], [Code], [Name], [Level], [ParentId], [CreatedAt], [Version])
    VALUES (''00000000-0000-0000-0000-000000370100'', 370100, N''济南市'', N''City'', NULL, ''2026-01-01T00:00:00.0000000Z'', 0)');
    IF EXISTS (SELECT * FROM [sys].[identity_columns] WHERE [name] IN (N'Id', N'Code', N'Name', N'Level', N'ParentId', N'CreatedAt', N'Version') AND [object_id] = OBJECT_ID(N'[Regions]'))
        SET IDENTITY_INSERT [Regions] OFF;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    DROP INDEX [IX_Campaigns_Name] ON [Campaigns];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    DROP INDEX [IX_ArchivedReports_Month_Report_Subject] ON [ArchivedReports];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    ALTER TABLE [Users] ADD [RegionCode] int NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    ALTER TABLE [Users] ADD [RegionId] uniqueidentifier NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    UPDATE "Users" SET "RegionId" = (SELECT "Id" FROM "Regions"), "RegionCode" = 370100;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    ALTER TABLE [Units] ADD [RegionCode] int NOT NULL DEFAULT 370100;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    ALTER TABLE [Units] ADD [RegionId] uniqueidentifier NOT NULL DEFAULT '00000000-0000-0000-0000-000000370100';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    ALTER TABLE [SealUpSchedules] ADD [RegionCode] int NOT NULL DEFAULT 370100;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    ALTER TABLE [SealUpSchedules] ADD [RegionId] uniqueidentifier NOT NULL DEFAULT '00000000-0000-0000-0000-000000370100';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    ALTER TABLE [Campaigns] ADD [RegionCode] int NOT NULL DEFAULT 370100;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    ALTER TABLE [Campaigns] ADD [RegionId] uniqueidentifier NOT NULL DEFAULT '00000000-0000-0000-0000-000000370100';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    ALTER TABLE [AuditEntries] ADD [RegionCode] int NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    ALTER TABLE [ArchivedReports] ADD [RegionCode] int NOT NULL DEFAULT 370100;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    ALTER TABLE [ArchivedReports] ADD [RegionId] uniqueidentifier NOT NULL DEFAULT '00000000-0000-0000-0000-000000370100';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    CREATE INDEX [IX_Users_RegionId] ON [Users] ([RegionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    CREATE INDEX [IX_Units_RegionCode] ON [Units] ([RegionCode]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    CREATE INDEX [IX_Units_RegionId] ON [Units] ([RegionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    CREATE INDEX [IX_SealUpSchedules_RegionId] ON [SealUpSchedules] ([RegionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Campaigns_RegionId_Name] ON [Campaigns] ([RegionId], [Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ArchivedReports_Month_Report_Subject_RegionId] ON [ArchivedReports] ([Month], [Report], [Subject], [RegionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Regions_Code] ON [Regions] ([Code]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    CREATE INDEX [IX_Regions_ParentId] ON [Regions] ([ParentId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    ALTER TABLE [Campaigns] ADD CONSTRAINT [FK_Campaigns_Regions_RegionId] FOREIGN KEY ([RegionId]) REFERENCES [Regions] ([Id]) ON DELETE NO ACTION;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    ALTER TABLE [SealUpSchedules] ADD CONSTRAINT [FK_SealUpSchedules_Regions_RegionId] FOREIGN KEY ([RegionId]) REFERENCES [Regions] ([Id]) ON DELETE NO ACTION;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    ALTER TABLE [Units] ADD CONSTRAINT [FK_Units_Regions_RegionId] FOREIGN KEY ([RegionId]) REFERENCES [Regions] ([Id]) ON DELETE NO ACTION;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    ALTER TABLE [Users] ADD CONSTRAINT [FK_Users_Regions_RegionId] FOREIGN KEY ([RegionId]) REFERENCES [Regions] ([Id]) ON DELETE NO ACTION;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207065237_Regions'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207065237_Regions', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207070340_AuditUnits'
)
BEGIN
    ALTER TABLE [AuditEntries] ADD [UnitId] uniqueidentifier NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207070340_AuditUnits'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207070340_AuditUnits', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207080405_UnitRegionIds'
)
BEGIN
    DROP INDEX [IX_Units_RegionCode] ON [Units];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207080405_UnitRegionIds'
)
BEGIN
    CREATE INDEX [IX_Units_RegionCode_Id] ON [Units] ([RegionCode], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207080405_UnitRegionIds'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207080405_UnitRegionIds', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207121349_UnitCounts'
)
BEGIN
    CREATE TABLE [VehicleCounts] (
        [UnitId] uniqueidentifier NOT NULL,
        [Status] nvarchar(32) NOT NULL,
        [Vehicles] int NOT NULL,
        CONSTRAINT [PK_VehicleCounts] PRIMARY KEY ([UnitId], [Status])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207121349_UnitCounts'
)
BEGIN
    CREATE TABLE [ViolationCounts] (
        [UnitId] uniqueidentifier NOT NULL,
        [Status] nvarchar(32) NOT NULL,
        [Type] nvarchar(32) NOT NULL,
        [Violations] int NOT NULL,
        [Actions] int NOT NULL,
        CONSTRAINT [PK_ViolationCounts] PRIMARY KEY ([UnitId], [Status], [Type])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207121349_UnitCounts'
)
BEGIN
    CREATE INDEX [IX_Violations_UnitId_Status_DetectedAt_Type_Id] ON [Violations] ([UnitId], [Status], [DetectedAt], [Type], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207121349_UnitCounts'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207121349_UnitCounts', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207140818_IdempotentRequests'
)
BEGIN
    CREATE TABLE [IdempotentRequests] (
        [Id] bigint NOT NULL IDENTITY,
        [UserId] uniqueidentifier NOT NULL,
        [Key] nvarchar(128) NOT NULL,
        [RequestHash] nvarchar(64) NOT NULL,
        [StartedAt] datetime2 NOT NULL,
        [Status] int NULL,
        [ContentType] nvarchar(200) NULL,
        [Location] nvarchar(2000) NULL,
        [ETag] nvarchar(100) NULL,
        [Body] varbinary(max) NULL,
        CONSTRAINT [PK_IdempotentRequests] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207140818_IdempotentRequests'
)
BEGIN
    CREATE INDEX [IX_IdempotentRequests_StartedAt] ON [IdempotentRequests] ([StartedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207140818_IdempotentRequests'
)
BEGIN
    CREATE UNIQUE INDEX [IX_IdempotentRequests_UserId_Key] ON [IdempotentRequests] ([UserId], [Key]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207140818_IdempotentRequests'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207140818_IdempotentRequests', N'10.0.15');
END;

COMMIT;
GO

