"""述职报告: a department submits and revises its report (every revision kept, who and when), the organiser may
submit on its behalf, an attachment must really be a PDF of at most 20 MB and its bytes stay out of the events;
the organiser opens and closes public pre-reading; the read models fold it all and rebuild identically."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from evaluation.application import EvaluationApp
from evaluation.errors import InvalidInput, NotFound, ReasonRequired
from evaluation.report import FILE_LIMIT
from projections.maintenance import rebuild_views
from projections.runner import Projector
from storage.settings import Settings
from tests.conftest import ORGANISER, prepare_round
from tests.integration.test_projection_helpers import query
from tests.report_pdfs import forged_header, pdf_of_size, renamed_docx, small_pdf, truncated_pdf

FGW = "department:fgw"


@pytest.fixture
def round_(app: EvaluationApp) -> EvaluationApp:
    prepare_round(app)
    return app


def test_a_department_submits_and_revises_its_report_and_every_revision_is_kept(
    round_: EvaluationApp,
) -> None:
    app = round_
    assert app.report("r2026", "fgw") is None
    assert app.submit_report("r2026", "fgw", " 述职报告 ", "摘要", "全文", by=FGW) == 1
    pdf = small_pdf()
    assert (
        app.submit_report(
            "r2026", "fgw", "述职报告（修订）", "新摘要", "全文二", by=FGW, file=("报告.pdf", pdf)
        )
        == 2
    )
    assert (
        app.submit_report("r2026", "fgw", "述职报告（三稿）", "摘要三", "", by=ORGANISER, on_behalf=True) == 3
    )
    report = app.report("r2026", "fgw")
    assert report is not None
    assert [(r.number, r.title, r.by, r.on_behalf) for r in report.revisions] == [
        (1, "述职报告", FGW, False),
        (2, "述职报告（修订）", FGW, False),
        (3, "述职报告（三稿）", ORGANISER, True),
    ]
    first, second, third = report.revisions
    assert first.attachment is None
    assert second.attachment is not None and second.attachment.name == "报告.pdf"
    assert second.attachment.size == len(pdf) and app.files.get(second.attachment.sha256) == pdf
    assert third.attachment == second.attachment, "a revision without a new file keeps the attachment"
    app.submit_report("r2026", "fgw", "四稿", "摘要", "", by=FGW, drop_file=True)
    assert app.report("r2026", "fgw").current.attachment is None  # type: ignore[union-attr]


def test_a_file_name_keeps_no_folder(round_: EvaluationApp) -> None:
    round_.submit_report(
        "r2026", "fgw", "述职报告", "摘要", "", by=FGW, file=("C:\\报告\\终稿.pdf", small_pdf())
    )
    current = round_.report("r2026", "fgw").current  # type: ignore[union-attr]
    assert current is not None and current.attachment is not None and current.attachment.name == "终稿.pdf"


def test_the_file_bytes_are_not_in_any_event(round_: EvaluationApp) -> None:
    pdf = small_pdf("UNIQUE-MARKER-IN-THE-PDF")
    round_.submit_report("r2026", "fgw", "述职报告", "摘要", "全文", by=FGW, file=("报告.pdf", pdf))
    stored = round_.recorder.select_notifications(start=1, limit=10_000)
    assert stored and all(b"UNIQUE-MARKER" not in n.state and b"%PDF-" not in n.state for n in stored)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("报告.pdf", renamed_docx(), "不是 PDF 文件"),
        ("报告.pdf", truncated_pdf(), "不是有效的 PDF 文件"),
        ("报告.pdf", forged_header(), "不是有效的 PDF 文件"),
        ("报告.pdf", b"", "空文件"),
        ("报告.pdf", pdf_of_size(FILE_LIMIT + 1), "20 MB"),
        (" ", small_pdf(), "文件名"),
    ],
)
def test_a_file_that_is_not_a_real_pdf_of_at_most_20_mb_is_refused_and_nothing_is_recorded(
    round_: EvaluationApp, name: str, content: bytes, says: str
) -> None:
    before = round_.recorder.max_notification_id()
    with pytest.raises(InvalidInput) as refused:
        round_.submit_report("r2026", "fgw", "述职报告", "摘要", "全文", by=FGW, file=(name, content))
    assert says in refused.value.message
    assert round_.recorder.max_notification_id() == before and round_.report("r2026", "fgw") is None


def test_exactly_20_mb_of_real_pdf_is_accepted(round_: EvaluationApp) -> None:
    padded = pdf_of_size(FILE_LIMIT)
    assert (
        round_.submit_report("r2026", "fgw", "述职报告", "摘要", "", by=FGW, file=("报告.pdf", padded)) == 1
    )


@pytest.mark.parametrize(
    ("title", "summary", "text", "says"),
    [
        ("  ", "摘要", "全文", "标题不能为空"),
        ("标题", "", "全文", "摘要不能为空"),
        ("题" * 201, "摘要", "全文", "最多 200 字"),
        ("标题", "摘要", "字" * 50_001, "全文最多 50000 字"),
    ],
)
def test_a_report_needs_a_title_and_a_summary_within_their_limits(
    round_: EvaluationApp, title: str, summary: str, text: str, says: str
) -> None:
    with pytest.raises(InvalidInput, match=says):
        round_.submit_report("r2026", "fgw", title, summary, text, by=FGW)


def test_only_a_department_of_the_round_has_a_report(round_: EvaluationApp) -> None:
    with pytest.raises(InvalidInput, match="不在本次评议活动中"):
        round_.submit_report("r2026", "nobody", "标题", "摘要", "", by=ORGANISER, on_behalf=True)
    with pytest.raises(NotFound):
        round_.submit_report("r1999", "fgw", "标题", "摘要", "", by=ORGANISER)


def test_pre_reading_opens_and_closes_and_repeating_it_records_nothing(round_: EvaluationApp) -> None:
    app = round_
    assert not app.round("r2026").pre_reading
    app.open_pre_reading("r2026", by=ORGANISER)
    before = app.recorder.max_notification_id()
    app.open_pre_reading("r2026", by=ORGANISER)
    assert app.recorder.max_notification_id() == before and app.round("r2026").pre_reading
    with pytest.raises(ReasonRequired):
        app.close_pre_reading("r2026", by=ORGANISER, reason="  ")
    assert app.round("r2026").pre_reading, "closing needs a reason: a blank one closes nothing"
    app.close_pre_reading("r2026", by=ORGANISER, reason="报告需更正")
    assert not app.round("r2026").pre_reading


@pytest.fixture
def projector(settings: Settings, app: EvaluationApp) -> Iterator[Projector]:
    with Projector(settings) as running:
        yield running


def test_the_read_models_list_every_revision_and_the_current_report_and_rebuild_identically(
    round_: EvaluationApp, settings: Settings
) -> None:
    app, pdf = round_, small_pdf()
    app.submit_report("r2026", "fgw", "一稿", "摘要", "全文", by=FGW, file=("报告.pdf", pdf))
    app.submit_report("r2026", "fgw", "二稿", "摘要二", "全文二", by=ORGANISER, on_behalf=True)
    app.submit_report("r2026", "swj", "水务局报告", "摘要", "", by="department:swj")
    app.open_pre_reading("r2026", by=ORGANISER)
    with Projector(settings) as projector:
        projector.wait(app.recorder.max_notification_id() or 0)
    revisions = "SELECT * FROM report_revisions_view ORDER BY round_key, department, revision"
    rows = query(settings, revisions)
    assert [(r["department"], r["revision"], r["title"], r["actor"], r["on_behalf"]) for r in rows] == [
        ("fgw", 1, "一稿", FGW, False),
        ("fgw", 2, "二稿", ORGANISER, True),
        ("swj", 1, "水务局报告", "department:swj", False),
    ]
    assert (
        rows[0]["file"]
        == rows[1]["file"]
        == {"sha256": rows[0]["file"]["sha256"], "size": len(pdf), "name": "报告.pdf"}
    )
    (fgw,) = query(settings, "SELECT report, report_revision FROM departments_view WHERE department = 'fgw'")
    assert fgw["report_revision"] == 2 and fgw["report"]["title"] == "二稿"
    assert fgw["report"]["file_name"] == "报告.pdf" and fgw["report"]["file_size"] == len(pdf)
    (r2026,) = query(settings, "SELECT pre_reading FROM rounds_view")
    assert r2026["pre_reading"] is True
    history = query(
        settings,
        "SELECT kind, summary FROM history_view WHERE kind LIKE 'Report.Submitted' ORDER BY position",
    )
    assert [h["summary"] for h in history][:2] == [
        "提交述职报告第 1 稿「一稿」",
        "提交述职报告第 2 稿「二稿」",
    ]
    before = {
        t: query(settings, f"SELECT * FROM {t} ORDER BY 1, 2")
        for t in ("report_revisions_view", "departments_view", "rounds_view")
    }
    rebuild_views(settings, say=lambda *_: None)
    after = {t: query(settings, f"SELECT * FROM {t} ORDER BY 1, 2") for t in before}
    assert after == before


def test_a_report_submitted_the_old_way_still_folds_as_a_revision(
    round_: EvaluationApp, settings: Settings
) -> None:
    """Rounds made before the Report aggregate kept the report on the Department (Department.ReportSubmitted)."""
    app = round_
    dept = app.department("r2026", "kjj")
    dept._report_submitted("旧报告", "旧摘要", "旧全文", "", "", by="organiser:old")  # noqa: SLF001
    app.save(dept)
    rebuild_views(settings, say=lambda *_: None)
    (row,) = query(settings, "SELECT * FROM report_revisions_view WHERE department = 'kjj'")
    assert (row["revision"], row["title"], row["file"], row["on_behalf"]) == (1, "旧报告", None, True)
    (kjj,) = query(settings, "SELECT report FROM departments_view WHERE department = 'kjj'")
    assert kjj["report"]["title"] == "旧报告"
    assert app.submit_report("r2026", "kjj", "新报告", "摘要", "", by="department:kjj") == 2, "numbered on"
    rebuild_views(settings, say=lambda *_: None)
    rows = query(
        settings, "SELECT revision, title FROM report_revisions_view WHERE department = 'kjj' ORDER BY 1"
    )
    assert [(r["revision"], r["title"]) for r in rows] == [(1, "旧报告"), (2, "新报告")]
