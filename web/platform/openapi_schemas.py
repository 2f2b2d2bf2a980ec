"""The request and response schemas of the tablet API, and its operations, for web/platform/openapi.py."""

from __future__ import annotations

from typing import Any

STRING: dict[str, Any] = {"type": "string"}
TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
"""Text a person typed: no control characters but tab, line feed and carriage return (web/platform/body.py)."""


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: list[str], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


def schemas(codes: list[str]) -> dict[str, Any]:
    window = {
        "type": "string",
        "enum": ["open", "closed", "pending"],
        "description": "评分中 / 已结束 / 未开始",
    }
    receipt_status = {
        "type": "string",
        "enum": ["counted", "superseded", "voided", "not_counted", "shared", "unknown"],
    }
    return {
        "Error": obj(
            ["error"],
            error=obj(
                ["code", "message"],
                code={"type": "string", "enum": codes, "description": "稳定的错误代码，见 x-error-codes"},
                message={"type": "string", "description": "给人看的中文说明"},
            ),
        ),
        "Ballot": obj(
            ["department", "client_id", "choice"],
            department={"type": "string", "maxLength": 100, "pattern": TEXT, "description": "部门代码"},
            client_id={
                "type": "string",
                "pattern": "^[A-Za-z0-9_-]{8,64}$",
                "description": "页面为每次提交生成一次；重发用同一个，只计一次",
            },
            choice={
                "type": "string",
                "description": "评价等次代码，或 unknown（不了解），或 scored（按指标打分）",
            },
            scores={
                "type": "object",
                "propertyNames": {"maxLength": 100, "pattern": TEXT},
                "additionalProperties": {"type": "integer", "minimum": 0},
            },
            comment={
                "type": "string",
                "maxLength": 2000,
                "pattern": TEXT,
                "description": "意见建议（匿名，可不填）",
            },
        ),
        "Receipt": obj(
            ["receipt", "department", "resent"],
            receipt={"type": "string", "description": "回执码（10 位；较早的为 8 位）"},
            department=STRING,
            resent={"type": "boolean", "description": "同一 client_id 的重发：回执不变，不重复计票"},
            position={"type": "integer", "description": "事件位置，读模型到达此位置后可查到回执"},
        ),
        "Suggestion": obj(
            ["department", "client_id", "text"],
            department={"type": "string", "maxLength": 100, "pattern": TEXT},
            client_id={"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"},
            text={
                "type": "string",
                "maxLength": 2000,
                "pattern": TEXT,
                "description": "留名建议：附代表姓名，仅交承办部门答复",
            },
        ),
        "SuggestionAccepted": obj(["suggestion", "department"], suggestion=STRING, department=STRING),
        "ReceiptStatus": obj(
            ["receipt", "status", "label"],
            receipt=STRING,
            status=receipt_status,
            label={"type": "string", "description": "中文说明"},
            department={"type": "string", "description": "部门名称"},
            round={"type": "string", "description": "评议活动名称"},
        ),
        "State": obj(
            ["round", "representative", "instrument", "departments", "receipts"],
            round=obj(["key", "title"], key=STRING, title=STRING),
            representative=obj(
                ["name", "sitting", "sitting_name", "venue_name"],
                name=STRING,
                sitting=STRING,
                sitting_name=STRING,
                venue_name=STRING,
            ),
            instrument=obj(
                ["kind", "levels", "criteria", "unknown_label"],
                kind={"type": "string", "enum": ["levels", "criteria"]},
                levels={"type": "array", "items": obj(["key", "label"], key=STRING, label=STRING)},
                criteria={
                    "type": "array",
                    "items": obj(
                        ["key", "label", "max_score"], key=STRING, label=STRING, max_score={"type": "integer"}
                    ),
                },
                unknown_label=STRING,
            ),
            departments={
                "type": "array",
                "items": obj(
                    ["key", "name", "short_name", "window", "report"],
                    key=STRING,
                    name=STRING,
                    short_name=STRING,
                    window=window,
                    report={
                        "oneOf": [obj(["title", "summary"], title=STRING, summary=STRING), {"type": "null"}]
                    },
                ),
            },
            receipts={"type": "object", "additionalProperties": ref("ReceiptStatus")},
        ),
    }


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _responses(answered: str, answer: str, *refused: int) -> dict[str, Any]:
    """200 with the schema ``answer``, and the statuses a refusal may come with (an ``Error``)."""
    refusals = {str(s): {"description": "拒绝（见 x-error-codes）", **_json(ref("Error"))} for s in refused}
    return {"200": {"description": answered, **_json(ref(answer))}, **refusals}


def _posted(summary: str, body: str, answered: str, answer: str, *refused: int) -> dict[str, Any]:
    """A POST of the representative's page: a JSON body of the schema ``body``, under the CSRF token."""
    return {
        "summary": summary,
        "security": WITH_CSRF,
        "requestBody": {"required": True, **_json(ref(body))},
        "responses": _responses(answered, answer, *refused),
    }


REPRESENTATIVE: list[dict[str, list[str]]] = [{"session": []}]
WITH_CSRF: list[dict[str, list[str]]] = [{"session": [], "csrf": []}]


def operation(name: str) -> dict[str, Any]:
    if name == "state":
        return {
            "summary": "代表的场次、部门及评分窗口状态，以及所问回执的状态",
            "security": REPRESENTATIVE,
            "parameters": [
                {
                    "name": "receipts",
                    "in": "query",
                    "required": False,
                    "schema": STRING,
                    "description": "逗号分隔的回执码",
                }
            ],
            "responses": _responses("当前状态", "State", 400, 401, 403, 503),
        }
    if name == "cast":
        summary = "投票或改票（同一 client_id 重发只计一次）"
        refused: tuple[int, ...] = (400, 401, 403, 404, 409, 413, 415, 422, 429, 503)
        return _posted(summary, "Ballot", "已收到；回执码", "Receipt", *refused)
    if name == "suggest":
        summary = "留名建议（附代表姓名，交承办部门答复；与评分分开保存）"
        refused = (400, 401, 403, 404, 413, 415, 422, 429, 503)
        return _posted(summary, "Suggestion", "已收到", "SuggestionAccepted", *refused)
    return {
        "summary": "回执查询（公开）：该版本是否计入，绝不显示所选内容",
        "parameters": [{"name": "code", "in": "path", "required": True, "schema": STRING}],
        "responses": _responses("回执状态", "ReceiptStatus", 400, 503),
    }
