"""The ledger's tables: Company → Project → WorkLog, and Payment."""
from tracker.models.company import Company, CompanyCreate, CompanyUpdate
from tracker.models.dataversion import DataVersion
from tracker.models.deposit import Deposit, DepositCreate
from tracker.models.enums import (
    ACTIVE_PROJECT_STATUSES,
    Certificate,
    CompanyKind,
    PayScheme,
    PayShift,
    PaymentStatus,
    PayUnit,
    PostingStatus,
    ProjectStatus,
    Role,
    TaskType,
    WithholdingKind,
)
from tracker.models.posting import Posting, SourceState
from tracker.models.profile import HealthStatus, IncomeProfile, IncomeProfileCreate, WageMode
from tracker.models.payment import Payment, PaymentCreate, PaymentUpdate, days_late, payment_status
from tracker.models.project import Project, ProjectCreate, ProjectUpdate
from tracker.models.timer import Timer
from tracker.models.refresh import RefreshRun
from tracker.models.rowstamp import RowStamp
from tracker.models.setting import AppSetting, DigestLog
from tracker.models.worklog import WorkLog, WorkLogCreate, WorkLogUpdate, earnings, worklog_earnings
from tracker.models.worklogmonth import WorkLogMonth

__all__ = [
    "ACTIVE_PROJECT_STATUSES",
    "AppSetting",
    "Certificate",
    "Company",
    "CompanyCreate",
    "CompanyKind",
    "CompanyUpdate",
    "DataVersion",
    "Deposit",
    "DepositCreate",
    "DigestLog",
    "HealthStatus",
    "IncomeProfile",
    "IncomeProfileCreate",
    "PayScheme",
    "PayShift",
    "Payment",
    "PaymentCreate",
    "PaymentStatus",
    "PaymentUpdate",
    "PayUnit",
    "Posting",
    "PostingStatus",
    "Project",
    "ProjectCreate",
    "ProjectStatus",
    "ProjectUpdate",
    "RefreshRun",
    "RowStamp",
    "Role",
    "SourceState",
    "TaskType",
    "Timer",
    "WageMode",
    "WithholdingKind",
    "WorkLog",
    "WorkLogMonth",
    "WorkLogCreate",
    "WorkLogUpdate",
    "days_late",
    "earnings",
    "payment_status",
    "worklog_earnings",
]
