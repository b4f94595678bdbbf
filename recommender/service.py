"""The one door into the core: open the rules and clinic profiles once, check them, and
recommend. The web app and `recommender rules check` both go through `open_service`, so
what the command line proves is what the app serves.
"""

from __future__ import annotations

import sysconfig
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from recommender.checking.coverage import empty_tier_problems, narrowing_problems
from recommender.checking.figures import figure_problems
from recommender.checking.rulelogic import rule_logic_problems
from recommender.checking.verification import Verification, ensure_verified
from recommender.drawing.motion import draw_motion
from recommender.drawing.svg import Drawing, draw_figure, retitled, titled
from recommender.engine.caching import CacheStats
from recommender.engine.recommending import Recommender, recommend
from recommender.loading.clinics import load_clinics
from recommender.loading.figures import FIGURES_FILE, LoadedFigures, load_figures
from recommender.loading.rules import english_files, load_ruleset
from recommender.loading.words import english_words, words_file
from recommender.loading.yamlfile import read_yaml
from recommender.model.clinic import Clinic
from recommender.model.figures import FigureBook, PoseName
from recommender.model.intake import Intake
from recommender.model.outcome import Recommendation
from recommender.model.problems import Problem, RulesError
from recommender.model.ruleset import Ruleset

Report = Callable[[str], None]
__all__ = ["CacheStats", "Service", "open_service", "recommend_afresh"]

# The folders the service reads (rules/, clinics/, templates/, static/) stay at the top of the
# repository; the wheel installs them as data files under <prefix>/share/DATA_FOLDER.
DATA_FOLDER = "lower-back-recommender"
_CHECKOUT = Path(__file__).resolve().parent.parent


def shipped(folder: str) -> Path:
    """Where one of the folders that ship with the service is: in the checkout when running
    from one, otherwise where the installed wheel put it."""
    if (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / folder).is_dir():
        return _CHECKOUT / folder
    return Path(sysconfig.get_path("data")) / "share" / DATA_FOLDER / folder


@dataclass(frozen=True)
class Service:
    """Checked rules and clinic profiles, and the recommendations made from them."""

    rules_dir: Path
    ruleset: Ruleset
    clinics: Mapping[str, Clinic]
    # The exhaustive check's report, or None when the rules' stamp vouched for them.
    verification: Verification | None
    # Each catalogue entry's figures, drawn once at start-up: its poses, start first.
    drawings: Mapping[str, list[Drawing]]
    # The same figures moving between their poses, for a screen (none for a front view).
    motions: Mapping[str, str]
    # Keeps recent results of the engine's steps; made with the service and gone with it, so a
    # reload of the rules starts with nothing kept.
    recommender: Recommender = field(repr=False)
    # The same service speaking each other language the rules list, by language: the rules'
    # words, the figures' and the engine's sentences in that language, with caches of its own.
    translations: Mapping[str, Service] = field(default_factory=dict, repr=False)

    @property
    def language(self) -> str:
        return self.ruleset.language

    @property
    def languages(self) -> list[str]:
        """Every language the service speaks, the rules' own first."""
        return list(self.ruleset.manifest.languages)

    def in_language(self, language: str) -> Service:
        """This service speaking `language`, one of `languages`."""
        return self if language == self.language else self.translations[language]

    def recommend(self, intake: Intake, clinic: Clinic | None = None) -> Recommendation:
        return self.recommender.recommend(intake, clinic.never_prescribe if clinic else frozenset())

    def recommend_so_far(self, given: Mapping[str, Any]) -> Recommendation | None:
        """The result that answers given so far (by question) already settle, when it sends the
        person for help at once; else None."""
        return self.recommender.recommend_so_far(given)

    def cache_stats(self) -> dict[str, CacheStats]:
        return self.recommender.cache_stats()

    @property
    def caching(self) -> bool:
        """Whether results are kept between requests (see `open_service`)."""
        return self.recommender.caches.enabled

    def narrowings(self) -> list[frozenset[str]]:
        return [clinic.never_prescribe for clinic in self.clinics.values()]


def recommend_afresh(intake: Intake, ruleset: Ruleset) -> Recommendation:
    """The recommendation for `intake` from `ruleset`, worked out from scratch and keeping
    nothing: for documents that show an example answer."""
    return recommend(intake, ruleset)


def open_service(rules_dir: Path | None = None, clinics_dir: Path | None = None, *, full_check: bool = False,
                 report: Report = lambda line: None, caching: bool = True) -> Service:
    """Load and check the rules (by default those that ship with the service), then the clinic
    profiles (none unless `clinics_dir` is given), then prove the safety promises (in
    full when `full_check`, else only when the rules' stamp does not match). Raises RulesError
    listing every problem; `UnsafeRules` when a promise is broken. `report` hears one line
    per step, for a person waiting at a terminal. Without `caching`, nothing is kept between
    recommendations (the tests compare the two)."""
    rules_dir = rules_dir or shipped("rules")
    ruleset, figures = _load_checked(rules_dir)
    report(f"{rules_dir}: version {ruleset.version}, sha256 {ruleset.digest}: 0 problems")
    clinics: dict[str, Clinic] = {}
    if clinics_dir is not None:
        clinics = load_checked_clinics(clinics_dir, ruleset)
        report(f"{clinics_dir}: {len(clinics)} clinic profile{'s' if len(clinics) != 1 else ''}, 0 problems")
    narrowings = [clinic.never_prescribe for clinic in clinics.values()]
    verification = ensure_verified(rules_dir, ruleset, narrowings, always=full_check)
    if verification is not None:
        report(verification.summary())
    drawn = _drawn(figures.book, ruleset)
    translations = {
        language: Service(rules_dir=rules_dir, ruleset=ruleset.in_language(language), clinics=clinics,
                          verification=verification,
                          **_titled(drawn, figures.in_language(language), ruleset.in_language(language)),
                          recommender=Recommender(ruleset.in_language(language), caching=caching))
        for language in ruleset.manifest.languages[1:]}
    return Service(rules_dir=rules_dir, ruleset=ruleset, clinics=clinics, verification=verification, **drawn,
                   recommender=Recommender(ruleset, caching=caching), translations=translations)


def _pose_words(ruleset: Ruleset) -> dict[PoseName, str]:
    say = ruleset.say
    return {"start": say("start"), "middle": say("middle"), "end": say("end")}


def _moving(ruleset: Ruleset, exercise: str) -> str:
    return ruleset.say("{exercise}, moving from the start to the end and back").format(
        exercise=ruleset.exercises[exercise].name)


def _drawn(book: FigureBook, ruleset: Ruleset) -> dict[str, Any]:
    """Each catalogue entry's figures, and its moving figure, titled in the rules' language."""
    pose_words = _pose_words(ruleset)
    return {
        "drawings": {figure.exercise: draw_figure(figure, ruleset.exercises[figure.exercise].name, pose_words)
                     for figure in book.figures},
        "motions": {figure.exercise: motion for figure in book.figures
                    if (motion := draw_motion(figure, _moving(ruleset, figure.exercise))) is not None},
    }


def _titled(drawn: dict[str, Any], book: FigureBook, ruleset: Ruleset) -> dict[str, Any]:
    """The figures `_drawn` drew, titled in another language's words (`book`, `ruleset`)."""
    pose_words = _pose_words(ruleset)
    return {
        "drawings": {figure.exercise: titled(drawn["drawings"][figure.exercise], figure,
                                             ruleset.exercises[figure.exercise].name, pose_words)
                     for figure in book.figures},
        "motions": {exercise: retitled(motion, _moving(ruleset, exercise))
                    for exercise, motion in drawn["motions"].items()},
    }


def load_checked_rules(folder: Path) -> Ruleset:
    """The rules, well formed and meaning what a clinician can sign: no rule that never fires
    or never matters, no disagreeing actions, no tier some equipment leaves empty, and every
    catalogue entry drawn in poses a body can take."""
    return _load_checked(folder)[0]


def _load_checked(folder: Path) -> tuple[Ruleset, LoadedFigures]:
    ruleset = load_ruleset(folder, shipped("translations"))
    problems = rule_logic_problems(ruleset) + empty_tier_problems(ruleset)
    figures = None
    try:
        figures = load_figures(folder, ruleset.manifest.languages[1:])
    except RulesError as error:
        problems += error.problems
    if figures is not None:
        problems += figure_problems(figures, ruleset)
    if problems or figures is None:
        raise RulesError(problems)
    return ruleset, figures


def load_checked_clinics(folder: Path, ruleset: Ruleset) -> dict[str, Clinic]:
    """The clinic profiles, well formed and narrowing the catalogue without leaving any slot
    with nothing to offer."""
    clinics = load_clinics(folder, ruleset)
    problems = [problem for clinic in clinics.values() for problem in narrowing_problems(clinic, ruleset)]
    if problems:
        raise RulesError(problems, subject="the clinic profiles")
    return clinics


def write_words_files(folder: Path, language: str) -> list[str]:
    """Write FOLDER/LANGUAGE/<file> for every rules file with words: each English text in order,
    the words already given for it kept, "" where there are none yet; words for a text the
    English no longer has are dropped. One line per file says how many texts still need words.
    Raises RulesError when a rules file, or a words file to keep words from, cannot be read."""
    files: dict[str, BaseModel] = {**english_files(folder), FIGURES_FILE: load_figures(folder).book}
    (folder / language).mkdir(exist_ok=True)
    said = []
    for name, english in files.items():
        texts = {text for _, text in english_words(english)}
        if not texts:
            continue
        path = folder / language / name
        given, review = {}, "needed"
        if path.exists():
            document, problems = read_yaml(path, f"{folder.name}/{language}/{name}")
            if document is None or problems or not isinstance(document.data, dict):
                raise RulesError(problems or [Problem(f"{folder.name}/{language}/{name}", 1, "not a words file")])
            given = {str(key): str(value) for key, value in (document.data.get("words") or {}).items() if value}
            review = str(document.data.get("review", "needed"))
        missing = texts - set(given)
        dropped = set(given) - texts
        path.write_text(words_file(name, language, english, given, "needed" if missing else review),
                        encoding="utf-8")
        said.append(f"{path}: {len(texts) - len(missing)} of {len(texts)} texts have words, "
                    f"{len(missing)} to fill in" + (f"; {len(dropped)} no longer in the English, dropped"
                                                      if dropped else ""))
    return said
