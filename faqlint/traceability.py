"""From FAQ questions to rules: which rules encode each question, or why none can.

The questions, in the FAQ's order and grouped by its sections, are the `faq` policy table
(policies/outlook-mobile/faq.yaml). A rule names the question it encodes in its `faq` field, with
the question's heading exactly; a question no rule can encode says why in `notCheckable`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from faqlint.errors import FaqlintError
from faqlint.policy import CompiledRule

TABLE = "faq"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Question(_Strict):
    question: str = Field(min_length=1, description="The heading, without 'Q: '.")
    notCheckable: str | None = Field(
        default=None, description="Why configuration cannot show whether the answer is followed."
    )


class Section(_Strict):
    title: str = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)


class Faq(_Strict):
    sections: list[Section] = Field(min_length=1)

    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]


class FaqError(FaqlintError):
    """The FAQ table is missing or malformed: exit 2."""


def load_faq(data: dict[str, Any]) -> Faq:
    """The `faq` table of the loaded policies."""
    if TABLE not in data:
        raise FaqError("no PolicyData table named 'faq': the FAQ's questions are not loaded")
    try:
        return Faq.model_validate(data[TABLE])
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise FaqError(f"the 'faq' table is malformed at {where}: {first['msg']}") from None


@dataclass(frozen=True)
class Trace:
    """One question and what accounts for it."""

    section: str
    number: int  # 1-based, through the whole FAQ
    question: Question
    rules: tuple[CompiledRule, ...]

    @property
    def covered(self) -> bool:
        return bool(self.rules) or self.question.notCheckable is not None

    @property
    def contradictory(self) -> bool:
        """Encoded by rules and yet declared not checkable: one of the two is wrong."""
        return bool(self.rules) and self.question.notCheckable is not None


@dataclass(frozen=True)
class Traceability:
    traces: tuple[Trace, ...]
    strays: tuple[CompiledRule, ...]  # rules whose `faq` names no question of the table

    @property
    def uncovered(self) -> tuple[Trace, ...]:
        return tuple(t for t in self.traces if not t.covered)


def trace(faq: Faq, rules: Iterable[CompiledRule]) -> Traceability:
    rules = list(rules)
    by_question: dict[str, list[CompiledRule]] = {}
    for rule in rules:
        by_question.setdefault(rule.rule.faq, []).append(rule)
    traces: list[Trace] = []
    for section in faq.sections:
        for question in section.questions:
            encoded = tuple(by_question.pop(question.question, []))
            traces.append(Trace(section.title, len(traces) + 1, question, encoded))
    strays = tuple(r for r in rules if r.rule.faq in by_question)
    return Traceability(tuple(traces), strays)
