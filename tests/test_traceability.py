"""Every question of the FAQ is in the `faq` table in order, and every one is accounted for:
encoded by rules, or declared not checkable with a reason. Every rule cites a real question."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from faqlint.run import load_catalogue
from faqlint.traceability import Faq, FaqError, Trace, load_faq, trace

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed" / "outlook-mobile-faq.md"

_CATALOGUE = load_catalogue()
_BUILTIN = [r for r in _CATALOGUE.policies.rules if r.builtin]
_FAQ = load_faq(_CATALOGUE.policies.data)
_TRACES = trace(_FAQ, _BUILTIN)

# The rule catalogue's `faq` column: which rules encode each question. Each of them must cite
# that question, so a rule moved to another question (or a question dropped) fails here.
CATALOGUE: dict[str, tuple[str, ...]] = {
    "Can I add two different Office 365 accounts from different Office 365 regions to Outlook "
    "for iOS and Android?": ("OM505", "OM506"),
    "What authentication mechanism is used for Outlook for iOS are Android? Are credentials "
    "stored in Office 365?": ("OM101",),
    "Do Outlook for iOS and Android and other Microsoft Office mobile apps support single "
    "sign-on?": ("OM105", "OM605"),
    "What is the lifetime of the tokens generated and used by the Active Directory "
    "Authentication Library (ADAL) in Outlook for iOS and Android?": (
        "OM110",
        "OM111",
        "OM112",
        "OM114",
    ),
    "What happens to the access token when a user's password is changed?": ("OM113",),
    "Does Outlook for iOS and Android support certificate-based authentication?": (
        "OM102",
        "OM103",
        "OM104",
    ),
    "What does background synchronization enable? I notice that when I launch the app with it "
    "enabled, I still have to wait for messages to download, even after I've received new mail "
    "notifications for them; and sometimes, I get reminders for appointments that had been "
    "cancelled.": ("OM601", "OM602"),
    "Does Outlook for iOS and Android support RMS?": ("OM220", "OM707"),
    "What ports and end points does Outlook for iOS and Android use?": ("OM301",),
    "Does Outlook for iOS and Android support proxy configurations?": (
        "OM302",
        "OM303",
        "OM304",
        "OM305",
        "OM306",
    ),
    "Is there a minimum version of Outlook for iOS and Android required to use the native "
    "Microsoft sync technology?": ("OM401", "OM403"),
    "As a tenant administrator, can I control which of my users will be migrated to the native "
    "Microsoft sync technology?": ("OM402",),
    "Will I have to update my Exchange mobile device access policies (allow block quarantine "
    "(ABQ) rules)?": ("OM210", "OM211", "OM212"),
    "Is it necessary to file an in-app support ticket when I experience an issue with Outlook "
    "for iOS and Android?": ("OM708",),
    "As an Exchange administrator, I would like to deploy Outlook for iOS and Android, but in my "
    "testing I can't log in. What might be the issue?": (
        "OM201",
        "OM202",
        "OM203",
        "OM204",
        "OM205",
    ),
    "Is a license required to use Outlook for iOS and Android?": (
        "OM501",
        "OM502",
        "OM503",
        "OM504",
    ),
    'My users enabled the "Save Contacts" advanced settings option. However, they are '
    "complaining that not all contacts have synchronized on their iOS devices. Are there "
    "limitations with synchronization?": ("OM604", "OM706"),
    "Why are the Office mobile apps required to be installed on Android in order to render "
    "attachments in Outlook, while iOS devices provide a preview of the attachments within "
    "Outlook?": ("OM606",),
    "A new message included an attachment, but while I was offline I couldn't open the "
    "attachment. Why is that?": ("OM702",),
    "A week ago I accessed an attachment in a message, but now that I'm offline I can no longer "
    "access that attachment on my iOS device. However, I can access it on my Android device. "
    "Why is that?": ("OM703",),
    "Why does data within Outlook for iOS disappear and then re-appear after I toggle the "
    "Focused Inbox or the Organize by Thread settings?": ("OM603",),
    "Can I view organization chart information in Outlook for iOS?": ("OM705",),
    "How much of my mailbox data is synchronized with Outlook for iOS and Android?": ("OM701",),
    "Why are tasks and notes not available with Outlook for iOS and Android?": ("OM704",),
}


def _seed_questions(text: str) -> list[tuple[str, str]]:
    """(section title, question heading without 'Q: ') for every '### Q:' of the FAQ."""
    found: list[tuple[str, str]] = []
    section = ""
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        elif line.startswith("### Q:"):
            found.append((section, line[len("### Q:") :].strip()))
    return found


def test_faq_table_holds_every_question_of_the_faq_in_order() -> None:
    if not SEED.is_file():
        pytest.skip(f"the FAQ itself ({SEED}) is not beside the repository to compare with")
    expected = _seed_questions(SEED.read_text(encoding="utf-8"))
    table = [(s.title, q.question) for s in _FAQ.sections for q in s.questions]
    assert len(expected) == 31
    assert table == expected


def test_faq_table_names_each_question_once() -> None:
    questions = [q.question for q in _FAQ.questions()]
    assert len(questions) == len(set(questions))


@pytest.mark.parametrize("rule", _BUILTIN, ids=[r.code for r in _BUILTIN])
def test_rule_cites_a_question_of_the_faq(rule) -> None:  # type: ignore[no-untyped-def]
    questions = {q.question for q in _FAQ.questions()}
    assert rule.rule.faq in questions, (
        f"{rule.code} `faq: {rule.rule.faq}` is not a question heading of the FAQ "
        "(policies/outlook-mobile/faq.yaml); copy the heading exactly, without 'Q: '"
    )


@pytest.mark.parametrize("item", _TRACES.traces, ids=[f"Q{t.number}" for t in _TRACES.traces])
def test_question_is_accounted_for(item: Trace) -> None:
    assert not item.contradictory, (
        f"Q{item.number} is encoded by {[r.code for r in item.rules]} and also declared "
        "notCheckable in faq.yaml: remove one of the two"
    )
    assert item.covered, (
        f"Q{item.number} {item.question.question!r} is encoded by no rule and has no "
        "notCheckable reason in policies/outlook-mobile/faq.yaml"
    )


@pytest.mark.parametrize("question", sorted(CATALOGUE))
def test_rules_of_the_catalogue_cite_their_question(question: str) -> None:
    citing = {r.code for r in _BUILTIN if r.rule.faq == question}
    assert set(CATALOGUE[question]) <= citing


def test_catalogue_questions_are_checkable_questions_of_the_faq() -> None:
    questions = {q.question for q in _FAQ.questions()}
    assert set(CATALOGUE) <= questions
    not_checkable = {q.question for q in _FAQ.questions() if q.notCheckable}
    assert not set(CATALOGUE) & not_checkable


_PACK = """\
apiVersion: faqlint/v1
kind: PolicyPack
metadata: {name: custom}
rules:
"""
_RULE = """\
  - code: {code}
    name: custom-{code_lower}
    severity: info
    summary: A custom rule.
    faq: {faq}
    rationale: Custom.
    fix: Custom.
    given: {{kinds: [CASMailbox]}}
    validations: [{{assert: 'true', message: never}}]
    examples:
      fail: [{{resources: [{{kind: CASMailbox}}]}}]
      pass: [{{resources: [{{kind: CASMailbox}}]}}]
"""


def test_a_rule_citing_no_question_is_a_stray(tmp_path: Path) -> None:
    tokens = (
        "What is the lifetime of the tokens generated and used by the Active Directory "
        "Authentication Library (ADAL) in Outlook for iOS and Android?"
    )
    rules = [("XX001", tokens.replace("lifetime", "life time", 1)), ("XX002", tokens)]
    text = _PACK + "".join(
        _RULE.format(code=code, code_lower=code.lower(), faq=f'"{faq}"') for code, faq in rules
    )
    (tmp_path / "custom.yaml").write_text(text, encoding="utf-8")
    custom = [r for r in load_catalogue([tmp_path]).policies.rules if not r.builtin]
    found = trace(_FAQ, custom)
    assert [r.code for r in found.strays] == ["XX001"]
    assert [r.code for r in found.traces[4].rules] == ["XX002"]
    assert not found.traces[4].question.notCheckable


def test_load_faq_rejects_a_missing_or_malformed_table() -> None:
    with pytest.raises(FaqError, match="no PolicyData table named 'faq'"):
        load_faq({})
    with pytest.raises(FaqError, match=r"sections\.0\.questions"):
        load_faq({"faq": {"sections": [{"title": "Architecture", "questions": []}]}})
    assert isinstance(
        load_faq(
            {
                "faq": {
                    "sections": [
                        {
                            "title": "A",
                            "questions": [{"question": "Why?", "notCheckable": "Because."}],
                        }
                    ]
                }
            }
        ),
        Faq,
    )


def _plain(text: str) -> str:
    """Markdown links and emphasis removed, white space folded: the words a reader sees."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("**", "").replace("*", "")
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("rule", [r for r in _BUILTIN if r.rule.quote], ids=lambda r: r.code)
def test_rule_quotes_are_the_faqs_own_words(rule) -> None:  # type: ignore[no-untyped-def]
    if not SEED.is_file():
        pytest.skip(f"the FAQ itself ({SEED}) is not beside the repository to compare with")
    assert _plain(rule.rule.quote.strip()) in _plain(SEED.read_text(encoding="utf-8"))
