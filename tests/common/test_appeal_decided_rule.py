"""An appeal reads decided only as the Board's decision on it issues: the server's own step
(``check_appeal_change(..., board_decision_issued=True)``), the status alone, from docketed;
a client that marks an appeal decided, or changes a decided one, is refused."""

from __future__ import annotations

from datetime import date

from common.appeals import check_appeal_change
from common.enums import AppealStatus, TranscriptStatus
from common.wire import Appeal
from tests.common.test_appeal_deadline import _filed


def _docketed() -> Appeal:
    filed = _filed()
    return filed.model_copy(
        update={
            "status": AppealStatus.DOCKETED,
            "reviewed_by": filed.filer_id,
            "reviewed_at": filed.received_at,
            "docketed_on": date(2026, 10, 21),
            "transcript_status": TranscriptStatus.ORDERED,
        }
    )


def test_a_client_cannot_mark_an_appeal_decided() -> None:
    docketed = _docketed()
    decided = docketed.model_copy(update={"status": AppealStatus.DECIDED})
    assert "when the Board's decision issues" in (check_appeal_change(docketed, decided) or "")


def test_the_boards_issued_decision_makes_a_docketed_appeal_decided_and_nothing_else() -> None:
    docketed = _docketed()
    decided = docketed.model_copy(update={"status": AppealStatus.DECIDED})
    assert check_appeal_change(docketed, decided, board_decision_issued=True) is None
    filed = _filed()
    from_intake = filed.model_copy(update={"status": AppealStatus.DECIDED})
    assert "only a docketed appeal" in (
        check_appeal_change(filed, from_intake, board_decision_issued=True) or ""
    )
    more = decided.model_copy(update={"transcript_status": TranscriptStatus.READY})
    assert "status alone" in (check_appeal_change(docketed, more, board_decision_issued=True) or "")
    # The issuing step makes an appeal decided, not any other change.
    ready = docketed.model_copy(update={"transcript_status": TranscriptStatus.READY})
    assert check_appeal_change(docketed, ready, board_decision_issued=True) is not None


def test_a_decided_appeal_no_longer_changes() -> None:
    decided = _docketed().model_copy(update={"status": AppealStatus.DECIDED})
    back = decided.model_copy(update={"status": AppealStatus.DOCKETED})
    assert "no longer changes" in (check_appeal_change(decided, back) or "")
    ready = decided.model_copy(update={"transcript_status": TranscriptStatus.READY})
    assert "no longer changes" in (check_appeal_change(decided, ready) or "")
