namespace Fleet.Data.Entities;

public enum Role { Admin, VehicleAdmin, Inspector, Auditor }

public enum UnitKind { Department, SubDistrictOffice, Institution }

public enum VehicleCategory { General, LawEnforcement, SpecialPurpose, Emergency }

public enum VehicleSource { Allocated, BorrowedFromEnterprise, Seconded, Unregistered }

public enum VehicleStatus { Active, UnderRecovery, Recovered, Disposed }

public enum ScheduleStatus { Published, Active, Closed }

public enum SealOrderStatus { Pending, Sealed, Overdue, Exempted, Breached, Released }

public enum ExemptionStatus { Requested, Approved, Rejected }

public enum SpotCheckFinding { Compliant, SealBroken, VehicleMissing, PrivateUse, OffSiteParking, UnregisteredVehicle, Other }

public enum ViolationType
{
    OverQuota, OverStandard, IllegalSource, SealDeadlineMissed, SealBroken,
    VehicleMissing, PrivateUse, OffSiteParking, UnregisteredVehicle, Other,
    UsedWhileSealed, OffHoursUse,
}

public enum ViolationSource { Registration, SealUpJob, SpotCheck, Manual, UsageCheck }

public enum ViolationStatus { Open, Resolved, Dismissed }

public enum PersonActionKind { Reminder, Admonishment, Criticism, PartyDiscipline, GovernmentSanction, Transferred }

public enum RecoveryReason { OverQuota, BorrowedFromEnterprise, OverStandard, Unregistered, Other }

public enum RecoveryStatus { Open, Recovered, Cancelled }

public enum RecoveryDisposition { ReturnedToOwner, Reassigned, Auctioned, Scrapped }

public enum ReminderStatus { Pending, Sent, Failed }

/// <summary>What a usage record is: a fuel-card transaction, a motorway toll (ETC) passage, a GPS/Beidou trip.</summary>
public enum UsageKind { Fuel, Toll, Trip }

/// <summary>The record a photo is evidence for.</summary>
public enum EvidenceSubject { SealOrder, SpotCheck, RecoveryCase }

/// <summary>How one attempt to deliver a reminder over one channel to one recipient went.</summary>
public enum DeliveryStatus { Sent, Failed }
