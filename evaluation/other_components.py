"""其他组成部分 — importing another component of the composite result (e.g. 日常考核) from a file, with its
weight (权重) in the composite; a component imported before is replaced only with a reason.

The weights of the round's components always sum to 1: the live evaluation (现场评议) keeps what the others
leave, and must keep some. Setting a weight and importing its scores are saved together, or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from evaluation.component_file import ComponentFileError, parse_component_file
from evaluation.department import Department, department_id
from evaluation.errors import EvaluationError, InvalidInput, optional_reason, stated
from evaluation.instrument import Instrument
from evaluation.round import Round
from evaluation.service import ServiceBase

LIVE = "live"
MAX_COMPONENT_NAME = 20
FIRST_IMPORT = "导入其他得分"


class ComponentRejected(EvaluationError):
    """其他得分表有错 — the whole file is refused; ``problems`` lists every bad row."""

    code, template = "component_rejected", "成绩表有 {count} 处错误，未导入任何得分"

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = problems
        super().__init__(count=len(problems))


@dataclass(frozen=True)
class ComponentPlan:
    """What an import would do: the component, its weight, each department's score, and the weights after."""

    component: str
    weight: Decimal
    scores: dict[str, str]
    weights: dict[str, Decimal]
    replaces: bool


class OtherComponents(ServiceBase):
    def plan_component(
        self, round_key: str, component: str, weight: str, data: bytes, filename: str
    ) -> ComponentPlan:
        """Reads and checks a score file without recording anything (预览): every problem, or the plan."""
        round_ = self.round(round_key)
        component = _component_name(component)
        share = _weight(weight)
        names = {key: self._names(round_key, key) for key in round_.departments}
        try:
            scores = self.parse(parse_component_file, data, filename, names)
        except ComponentFileError as refused:
            raise ComponentRejected([(p.line, p.message) for p in refused.problems]) from None
        weights = _reweighted(round_.instrument, component, share)
        return ComponentPlan(component, share, scores, weights, component in round_.components)

    def import_component_scores(
        self, round_key: str, component: str, weight: str, scores: dict[str, str], by: str, reason: str
    ) -> None:
        """导入（或替换）其他得分 — the weight and the scores in one save; replacing needs a reason."""
        round_ = self.round(round_key)
        component = _component_name(component)
        weights = _reweighted(round_.instrument, component, _weight(weight))
        replaces = component in round_.components
        reason = stated(reason) if replaces else (optional_reason(reason) or FIRST_IMPORT)
        for dept, value in scores.items():
            if _weight_free_score(value) is None:
                raise InvalidInput(f"部门 {dept} 的得分「{value}」须是 0 到 100 之间的数")
        _set_weights(round_, weights, by, reason)
        round_.import_component(component, dict(scores), by, reason)
        self.save(round_)

    def _names(self, round_key: str, key: str) -> set[str]:
        department = self.find(Department, department_id(round_key, key))
        return {department.name, department.short_name} if department else set()


def _component_name(component: str) -> str:
    name = " ".join(component.split())
    if not name or len(name) > MAX_COMPONENT_NAME:
        raise InvalidInput(f"组成部分名称不能为空，且最多 {MAX_COMPONENT_NAME} 个字")
    if name in (LIVE, "现场评议"):
        raise InvalidInput("现场评议的得分来自评议票，不能导入")
    return name


def _weight(text: str) -> Decimal:
    """A weight given as a percentage (20 or 20%) → 0.2."""
    try:
        percent = Decimal(text.strip().rstrip("%％").strip())
    except InvalidOperation:
        raise InvalidInput(f"权重「{text}」不是数字") from None
    if not percent.is_finite() or not 0 < percent < 100:
        raise InvalidInput("权重须大于 0%、小于 100%")
    if percent.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidInput("权重最多保留 2 位小数")
    return percent / 100


def _reweighted(instrument: Instrument, component: str, share: Decimal) -> dict[str, Decimal]:
    """The components' weights with ``component`` at ``share`` and the live evaluation taking the rest."""
    others = {k: w for k, w in instrument.components.items() if k != LIVE}
    others[component] = share
    live = Decimal(1) - sum(others.values(), Decimal(0))
    if live <= 0:
        raise InvalidInput(f"各其他组成部分的权重之和须小于 100%（现场评议须保留权重，现为 {live * 100:f}%）")
    return {LIVE: live, **others}


def _set_weights(round_: Round, weights: dict[str, Decimal], by: str, reason: str) -> None:
    if weights == dict(round_.instrument.components):
        return
    current = round_.instrument.to_dict()
    current["components"] = {k: str(w) for k, w in weights.items()}
    round_.change_instrument(Instrument.from_dict(current), by, f"其他组成部分的权重：{reason}")


def _weight_free_score(value: str) -> Decimal | None:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() and 0 <= number <= 100 else None
