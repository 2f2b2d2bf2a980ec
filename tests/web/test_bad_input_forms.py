"""坏表单 — every POST form of the site (sign-in, sign-out, the organiser console, the department's answers)
given a 10 MB body, a broken multipart body, JSON instead of a form, bytes that are not UTF-8, too many
fields, or no CSRF token: a 4xx page in plain Chinese, never a server error, and nothing is recorded.
Text with control characters is kept without them (a NUL would stop the projection)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote
from uuid import UUID, uuid4

import pytest

from tests.conftest import ORGANISER, deliver_suggestions
from tests.web.conftest import Web, served_for_a_module

TEN_MB = 10 * 1024 * 1024
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Scene:
    """The ids the forms act on: a ballot of alice's, a signed suggestion to fgw, and alice herself."""

    ballot: UUID
    suggestion: UUID
    alice: UUID


# (role, path, the form's own fields): every POST route that takes a form
FORMS: list[tuple[str, str, dict[str, str]]] = [
    ("anonymous", "/login", {"code": "ABCDE-FGHJK"}),
    ("organiser", "/logout", {}),
    ("organiser", "/organiser/windows/swj/open", {}),
    ("organiser", "/organiser/windows/fgw/close", {}),
    ("organiser", "/organiser/windows/fgw/reopen", {"reason": "设备故障"}),
    ("organiser", "/organiser/ballots/{ballot}/void", {"reason": "查实舞弊", "receipt": ""}),
    ("organiser", "/organiser/representatives/{alice}/reissue", {}),
    ("organiser", "/organiser/representatives/{alice}/revoke", {"reason": "评议卡遗失"}),
    ("organiser", "/organiser/representatives/{alice}/check-in", {}),
    ("organiser", "/organiser/departments/fgw/credential", {}),
    ("organiser", "/organiser/results/reveal", {}),
    (
        "organiser",
        "/organiser/representatives",
        {"name": "吴六", "category": "resident", "venue": "main", "sitting": "s1"},
    ),
    (
        "organiser",
        "/organiser/representatives/import",
        {"roster": "姓名,类别,会场,场次\n吴六,resident,main,s1\n"},
    ),
    ("department", "/department/suggestions/{suggestion}/answer", {"answer": "已研究"}),
]

Body = tuple[bytes, str]
"""(the request body, its Content-Type)"""


def urlencoded(fields: dict[str, str]) -> bytes:
    return "&".join(f"{quote(k)}={quote(v)}" for k, v in fields.items()).encode()


def multipart(fields: dict[str, str], boundary: str = "sanmin-boundary") -> bytes:
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    return ("".join(parts) + f"--{boundary}--\r\n").encode()


def largest_field(fields: dict[str, str]) -> str:
    return next(iter(fields), "note")


PAGES = {
    400: "请求格式有误",
    403: "页面已过期",
    415: "请求内容的格式不受支持",
}
"""Each refusal's status and what its page says."""
MULTIPART = (400, 403, 415)
"""A broken multipart body: 415 where a form takes no upload; else unreadable (400), or its CSRF part lost (403)."""

BAD_BODIES: dict[str, tuple[Callable[[str, dict[str, str]], Body], tuple[int, ...]]] = {
    "a 10 MB urlencoded field": (
        lambda csrf, f: (urlencoded({"csrf": csrf, **f, largest_field(f): "意" * (TEN_MB // 9)}), FORM),
        (400,),
    ),
    "a 10 MB multipart text field": (
        lambda csrf, f: (
            multipart({"csrf": csrf, **f, largest_field(f): "x" * TEN_MB}),
            "multipart/form-data; boundary=sanmin-boundary",
        ),
        MULTIPART,
    ),
    "a multipart body without its boundary": (
        lambda csrf, f: (multipart({"csrf": csrf, **f}), "multipart/form-data"),
        MULTIPART,
    ),
    "a multipart body cut short (within its first field)": (
        lambda csrf, f: (
            multipart({"csrf": csrf, **f}).split(csrf.encode())[0] + csrf[:5].encode(),
            "multipart/form-data; boundary=sanmin-boundary",
        ),
        MULTIPART,
    ),
    "1,500 fields": (
        lambda csrf, f: (urlencoded({"csrf": csrf, **f, **{f"f{i}": "x" for i in range(1500)}}), FORM),
        (400,),
    ),
    "JSON instead of a form": (
        lambda csrf, f: (f'{{"csrf": "{csrf}"}}'.encode(), "application/json"),
        (403,),
    ),
    "no CSRF token": (lambda csrf, f: (urlencoded(f), FORM), (403,)),
    "a forged CSRF token": (lambda csrf, f: (urlencoded({**f, "csrf": csrf[::-1]}), FORM), (403,)),
}

NOT_UTF8: dict[str, tuple[Callable[[str, dict[str, str]], Body], int]] = {
    "percent-encoded bytes that are not UTF-8": (
        lambda csrf, f: (urlencoded({"csrf": csrf}) + f"&{largest_field(f)}=%FF%FE%E4%B8".encode(), FORM),
        422,
    ),
    "a GBK multipart field": (
        lambda csrf, f: (
            multipart({"csrf": csrf})[: -len(b"--sanmin-boundary--\r\n")]
            + b'--sanmin-boundary\r\nContent-Disposition: form-data; name="'
            + largest_field(f).encode()
            + b'"\r\n\r\n'
            + "已研究".encode("gbk")
            + b"\r\n--sanmin-boundary--\r\n",
            "multipart/form-data; boundary=sanmin-boundary",
        ),
        415,
    ),
}
"""Where the field is text the site records (reasons, names, answers): refused, not recorded garbled."""


@pytest.fixture(scope="module")
def web(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    """One served round for the whole file: each test compares the events before and after its posts."""
    yield from served_for_a_module(database_url, tmp_path_factory.mktemp("bad-forms"))


@pytest.fixture(scope="module")
def scene(web: Web) -> Scene:
    web.open("fgw")
    receipt = web.commands.cast_ballot(web.round.alice, "fgw", uuid4().hex, "satisfied")
    suggestion = web.commands.sign_suggestion(web.round.alice, "fgw", uuid4().hex, "建议增设夜间窗口")
    deliver_suggestions(web.commands, web.round.key, "fgw")
    web.sync()
    return Scene(receipt.ballot_id, suggestion, web.round.alice)


def recorded(web: Web) -> int:
    return web.commands.recorder.max_notification_id() or 0


def signed_in_as(web: Web, role: str) -> str:
    """Signs in as ``role`` (its events recorded first); returns the session's CSRF token."""
    if role == "organiser":
        web.scan(web.commands.keys.organiser_code(web.round.key))
    elif role == "department":
        web.scan(web.commands.issue_department_credential(web.round.key, "fgw", by=ORGANISER))
    else:
        web.client.cookies.clear()
    return web.form_token()


def post(web: Web, role: str, path: str, scene: Scene, body: Body) -> object:
    url = path.format(ballot=scene.ballot, alice=scene.alice, suggestion=scene.suggestion)
    content, content_type = body
    return web.client.post(
        url, content=content, headers={"Content-Type": content_type}, follow_redirects=False
    )


def assert_refused_in_chinese(
    response: object, statuses: tuple[int, ...], message: str = "", bad: str = ""
) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    assert status in statuses, (bad, response.text[:300])  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("text/html")  # type: ignore[attr-defined]
    assert (message or PAGES[status]) in response.text  # type: ignore[attr-defined]


@pytest.mark.parametrize(("role", "path", "fields"), FORMS, ids=[f[1] for f in FORMS])
def test_a_malformed_form_is_refused_in_plain_chinese_and_nothing_is_recorded(
    web: Web, scene: Scene, role: str, path: str, fields: dict[str, str]
) -> None:
    csrf = signed_in_as(web, role)
    before = recorded(web)
    for bad, (build, statuses) in BAD_BODIES.items():
        answer = post(web, role, path, scene, build(csrf, fields))
        assert_refused_in_chinese(answer, statuses, bad=bad)
        assert recorded(web) == before, bad


TEXT_FORMS = [f for f in FORMS if set(f[2]) & {"reason", "name", "answer"}]


@pytest.mark.parametrize("bad", list(NOT_UTF8))
@pytest.mark.parametrize(("role", "path", "fields"), TEXT_FORMS, ids=[f[1] for f in TEXT_FORMS])
def test_text_that_is_not_utf8_is_refused_not_recorded_garbled(
    web: Web, scene: Scene, role: str, path: str, fields: dict[str, str], bad: str
) -> None:
    build, status = NOT_UTF8[bad]
    csrf = signed_in_as(web, role)
    before = recorded(web)
    answer = post(web, role, path, scene, build(csrf, fields))
    assert_refused_in_chinese(answer, (status,), PAGES.get(status, "不是有效的 UTF-8 编码"))
    assert recorded(web) == before


def test_a_roster_upload_over_20_mb_is_refused_with_a_chinese_note_and_nothing_is_recorded(
    web: Web, scene: Scene
) -> None:
    csrf = signed_in_as(web, "organiser")
    before = recorded(web)
    big = b"\xe5\xa7\x93\xe5\x90\x8d,\xe7\xb1\xbb\xe5\x88\xab\n" + b"x" * (21 * 1024 * 1024)
    answer = web.client.post(
        "/organiser/representatives/import",
        data={"csrf": csrf},
        files={"roster": ("名单.csv", big, "text/csv")},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert "名单文件不能超过 20 MB" in web.get(answer.headers["location"]).text
    assert recorded(web) == before


def test_a_roster_upload_declared_over_20_mb_is_refused_before_it_is_read(web: Web, scene: Scene) -> None:
    csrf = signed_in_as(web, "organiser")
    before = recorded(web)
    body = f'--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n--b--\r\n'.encode()
    answer = web.client.post(
        "/organiser/representatives/import",
        content=body,
        headers={"Content-Type": "multipart/form-data; boundary=b", "Content-Length": str(2**30)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert "名单文件不能超过 20 MB" in web.get(answer.headers["location"]).text
    assert recorded(web) == before


def test_control_characters_in_form_text_are_dropped_and_the_projection_keeps_running(
    web: Web, scene: Scene
) -> None:
    csrf = signed_in_as(web, "organiser")
    body = urlencoded({"csrf": csrf, "reason": "评议卡\x00遗失\x07\x1b"}), FORM
    assert post(web, "organiser", "/organiser/representatives/{alice}/revoke", scene, body).status_code == 303
    web.sync()  # would raise if the projection had stopped on the reason
    assert web.commands.representative(scene.alice).revoked
    history = web.get("/organiser/history", params={"kind": "Representative."}).text
    assert "评议卡遗失" in history
