"""Choice lists of the ledger. Values are stored as short English codes; labels are Korean."""
from __future__ import annotations

from enum import StrEnum

import sqlalchemy as sa


class Labeled(StrEnum):
    """A StrEnum whose members carry a Korean label for the interface."""

    @property
    def label(self) -> str:
        return LABELS[type(self)][self.value]

    @classmethod
    def labels(cls) -> dict[str, str]:
        return dict(LABELS[cls])


class CompanyKind(Labeled):
    PLATFORM = "platform"
    AGENCY = "agency"
    GOVERNMENT = "government"
    OTHER = "other"


class WithholdingKind(Labeled):
    BUSINESS = "business"  # 사업소득 3.3%
    OTHER = "other"  # 기타소득 8.8%
    NONE = "none"
    DAILY = "daily"  # 일용근로소득: (일당 − 150,000) × 6% × 45%, 분리과세


class PayShift(Labeled):
    """What happens when the pay day falls on a weekend or a public holiday."""

    NEXT = "next"
    PREVIOUS = "previous"
    NONE = "none"


class TaskType(Labeled):
    BOUNDING_BOX = "bounding_box"
    POLYGON = "polygon"
    KEYPOINT = "keypoint"
    SEGMENTATION = "segmentation"
    OCR = "ocr"
    TRANSCRIPTION = "transcription"
    CLASSIFICATION = "classification"
    TEXT_COLLECTION = "text_collection"
    INSPECTION = "inspection"
    OTHER = "other"


class Role(Labeled):
    WORKER = "worker"
    INSPECTOR = "inspector"


class PayScheme(Labeled):
    PER_ITEM = "per_item"
    PER_HOUR = "per_hour"
    FIXED = "fixed"


class ProjectStatus(Labeled):
    INTERESTED = "interested"
    APPLIED = "applied"
    PRETEST = "pretest"
    SELECTED = "selected"
    IN_PROGRESS = "in_progress"
    INSPECTING = "inspecting"
    COMPLETED = "completed"
    REJECTED = "rejected"
    STOPPED = "stopped"


class Certificate(Labeled):
    NONE = "none"
    AIDE_2 = "aide2"
    AIDE_1 = "aide1"


class PostingStatus(Labeled):
    NEW = "new"
    SAVED = "saved"
    APPLIED = "applied"
    HIDDEN = "hidden"


class PayUnit(Labeled):
    ITEM = "item"
    HOUR = "hour"
    DAY = "day"  # 일급·일당 (고용24 salTpNm 일급)
    MONTH = "month"
    YEAR = "year"  # 연봉 (고용24 salTpNm 연봉)


class PaymentStatus(Labeled):
    """Derived from the dates, never stored."""

    SCHEDULED = "scheduled"
    LATE = "late"
    RECEIVED = "received"


class WageMode(Labeled):
    """How the income profile gives a year's wage income."""

    RECEIPT = "receipt"  # 근로소득 원천징수영수증의 과세표준·결정세액
    QUICK = "quick"  # 총급여만


class HealthStatus(Labeled):
    DEPENDENT = "dependent"  # 피부양자 (가족의 직장 건강보험에 올라 있음)
    EMPLOYEE = "employee"  # 직장가입자 (내 직장)
    NONE = "none"  # 지역가입자이거나 해당 없음


LABELS: dict[type, dict[str, str]] = {
    WageMode: {"receipt": "원천징수영수증 (과세표준·결정세액)", "quick": "총급여만 (간편 계산)"},
    HealthStatus: {"dependent": "피부양자", "employee": "직장가입자", "none": "지역가입자·해당 없음"},
    CompanyKind: {"platform": "플랫폼", "agency": "대행사·업체", "government": "공공기관", "other": "기타"},
    WithholdingKind: {"business": "사업소득 3.3%", "other": "기타소득 8.8%", "none": "원천징수 없음",
                      "daily": "일용근로소득 6% (일당 15만 원 초과분)"},
    PayShift: {"next": "다음 영업일로 미룸", "previous": "직전 영업일로 앞당김", "none": "휴일에도 그날"},
    TaskType: {
        "bounding_box": "바운딩 박스",
        "polygon": "폴리곤",
        "keypoint": "키포인트",
        "segmentation": "세그멘테이션",
        "ocr": "OCR",
        "transcription": "음성 전사",
        "classification": "분류",
        "text_collection": "텍스트 수집",
        "inspection": "검수",
        "other": "기타",
    },
    Role: {"worker": "작업자", "inspector": "검수자"},
    PayScheme: {"per_item": "건당", "per_hour": "시급", "fixed": "고정 금액"},
    ProjectStatus: {
        "interested": "관심",
        "applied": "지원",
        "pretest": "사전 테스트",
        "selected": "선발",
        "in_progress": "진행 중",
        "inspecting": "검수 중",
        "completed": "완료",
        "rejected": "탈락",
        "stopped": "중단",
    },
    Certificate: {"none": "없음", "aide2": "AIDE 2급", "aide1": "AIDE 1급"},
    PaymentStatus: {"scheduled": "예정", "late": "지연", "received": "입금 완료"},
    PostingStatus: {"new": "새 공고", "saved": "저장", "applied": "지원함", "hidden": "숨김"},
    PayUnit: {"item": "건당", "hour": "시간당", "day": "일급", "month": "월", "year": "연봉"},
}

ACTIVE_PROJECT_STATUSES = (ProjectStatus.IN_PROGRESS, ProjectStatus.INSPECTING)


def enum_type(enum: type[StrEnum]) -> sa.Enum:
    """A portable column type: VARCHAR holding the enum's value (no native PostgreSQL ENUM)."""
    return sa.Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )
