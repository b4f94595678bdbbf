"""The compiled rules: every file validated and cross-checked, indexed and ready to evaluate.

Built only by `recommender.loading.rules.load_ruleset`; everything above the loader names this
type from here, so nothing needs the loader to speak of the rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from gettext import NullTranslations

from recommender.model.intake import Experience, Intake, Progress, ScreenedAnswers, Tier
from recommender.model.problems import SourceLines
from recommender.model.rules import (
    EquipmentItem,
    Exercise,
    IntakeWording,
    LevelWording,
    Manifest,
    PlanDesign,
    PlanLimit,
    Progression,
    ProgressionRule,
    ScreeningRule,
)

# Languages that write every noun, and the polite "you", with a capital: a German sentence's
# first word keeps its capital inside another sentence ("Sie", "Rückenschmerzen").
_CAPITALS_KEPT = frozenset({"de"})


def in_sentence(text: str, language: str = "en") -> str:
    """Text that starts a sentence, made to follow other words: 'Less than' -> 'less than',
    but 'I have' and 'BOSU' stay as they are, and so does every German word."""
    if language in _CAPITALS_KEPT:
        return text
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def starting(text: str) -> str:
    """Text that starts a sentence, a heading or a list of names: 'lunes' -> 'Lunes'."""
    return text[:1].upper() + text[1:]


@dataclass(frozen=True, eq=False)
class Ruleset:
    """The validated rules, ready to evaluate.

    Compared and hashed by identity, so results computed from one ruleset can be remembered
    against it without ever being served from another.
    """

    manifest: Manifest
    digest: str
    wording: IntakeWording
    equipment: dict[str, EquipmentItem]
    exercises: dict[str, Exercise]
    levels: dict[str, LevelWording]
    screening_rules: tuple[ScreeningRule, ...]
    actions: dict[str, str]
    plan_limits: dict[str, PlanLimit]
    plan: PlanDesign
    progression: Progression
    # Where each value was written, for checks made after loading.
    lines: SourceLines
    # The language these rules' words are in, and the engine's own sentences in it (a gettext
    # catalogue; the English is the msgid itself, so none is needed for English).
    language: str = "en"
    sentences: NullTranslations = field(default_factory=NullTranslations, repr=False)
    # The same rules in each other language the manifest lists, by language (only on the
    # rules in their own language, as loaded).
    translations: Mapping[str, Ruleset] = field(default_factory=dict, repr=False)
    # Each screening rule's conditions as one predicate, compiled once.
    _tests: tuple[tuple[ScreeningRule, Callable[[Intake | ScreenedAnswers], bool]], ...] = field(init=False, repr=False)
    _by_id: dict[str, ScreeningRule] = field(init=False, repr=False)
    # Which rules a tick can make fire (a rule that needs one of some ticks, by each of them), and
    # the rules that need no tick: all a person's answers can fire, so only these are tested.
    _by_tick: dict[str, frozenset[int]] = field(init=False, repr=False)
    _needing_no_tick: frozenset[int] = field(init=False, repr=False)
    _progress_tests: tuple[tuple[ProgressionRule, Callable[[Progress, Experience], bool]], ...] = field(
        init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_tests", tuple((rule, rule.when.compile()) for rule in self.screening_rules))
        object.__setattr__(self, "_progress_tests",
                           tuple((rule, rule.when.compile()) for rule in self.progression.rules))
        object.__setattr__(self, "_by_id", {rule.id: rule for rule in self.screening_rules})
        by_tick: dict[str, set[int]] = {}
        needing_no_tick = set()
        for index, rule in enumerate(self.screening_rules):
            ticks = rule.when.red_flags or rule.when.health_flags
            if ticks is None:
                needing_no_tick.add(index)
            for tick in ticks.includes_any if ticks is not None else ():
                by_tick.setdefault(f"{'red' if ticks is rule.when.red_flags else 'health'}:{tick}", set()).add(index)
        object.__setattr__(self, "_by_tick", {tick: frozenset(rules) for tick, rules in by_tick.items()})
        object.__setattr__(self, "_needing_no_tick", frozenset(needing_no_tick))

    def say(self, sentence: str) -> str:
        """One of the engine's own sentences (not the rules'), in these rules' language.
        Placeholders are `{name}`, filled in by the caller with `.format` after translating."""
        return self.sentences.gettext(sentence)

    def in_language(self, language: str) -> Ruleset:
        """These rules with their words in `language`, one the manifest lists."""
        return self if language == self.language else self.translations[language]

    @property
    def version(self) -> str:
        return self.manifest.version

    def fired_rules(self, intake: Intake | ScreenedAnswers) -> list[ScreeningRule]:
        """The screening rules whose conditions all hold for these answers, in file order."""
        could_fire = set(self._needing_no_tick)
        by_tick = self._by_tick
        for flag in intake.red_flags:
            could_fire.update(by_tick.get(f"red:{flag}", ()))
        for health_flag in intake.health_flags:
            could_fire.update(by_tick.get(f"health:{health_flag}", ()))
        tests = self._tests
        return [rule for rule, holds in (tests[index] for index in sorted(could_fire)) if holds(intake)]

    def fired_progression_rules(self, progress: Progress, experience: Experience) -> list[ProgressionRule]:
        """The progression rules whose conditions all hold for this report, in file order."""
        return [rule for rule, holds in self._progress_tests if holds(progress, experience)]

    def screening_rule(self, rule_id: str) -> ScreeningRule:
        return self._by_id[rule_id]

    def plan_limit_of(self, rule: ScreeningRule) -> str:
        """The plan limit a rule sets: its own, or else its level's."""
        return rule.plan or self.levels[rule.level].plan

    def action_of(self, rule: ScreeningRule) -> str | None:
        """The words of the rule's own action, if it names one."""
        return self.actions[rule.action] if rule.action else None

    def tier_title(self, tier: Tier) -> str:
        return next(design.title for design in self.plan.tiers if design.tier == tier)
