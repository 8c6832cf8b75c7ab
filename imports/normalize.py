"""Making a parsed work fit the archive: the fixed tags, the tag rules, the length limits, safe HTML.

What the files say is mapped onto what the posting form accepts; everything
changed, moved or dropped is said in a remark the preview shows.
"""

from django.utils.translation import gettext

from imports.parsed import ImportRefused, ParsedWork
from lib.html import clean_html, strip_html
from lib.languages import LANGUAGES
from tags.fixed import CATEGORIES, CHOSE_NOT_TO_WARN, NO_WARNINGS_APPLY, RATINGS, WARNINGS
from tags.parsing import FORBIDDEN_CHARACTERS, TAG_NAME_MAX
from works.forms import CHAPTER_MIN
from works.models import CHAPTER_MAX, NOTES_MAX, SUMMARY_MAX, TITLE_MAX, USER_TAGS_MAX

_RATING_NAMES = {name.casefold(): name for name, _symbol, _adult in RATINGS}
# Other archives' ratings (FanFiction.Net, eFiction sites, film-style) to the nearest AO3 rating.
_RATING_ALIASES = {
    "g": "General Audiences",
    "general": "General Audiences",
    "k": "General Audiences",
    "k+": "General Audiences",
    "pg": "General Audiences",
    "all ages": "General Audiences",
    "t": "Teen And Up Audiences",
    "teen": "Teen And Up Audiences",
    "teen and up": "Teen And Up Audiences",
    "pg-13": "Teen And Up Audiences",
    "pg13": "Teen And Up Audiences",
    "m": "Mature",
    "r": "Mature",
    "e": "Explicit",
    "ma": "Explicit",
    "nc-17": "Explicit",
    "nc17": "Explicit",
    "x": "Explicit",
    "xxx": "Explicit",
    "adult": "Explicit",
    "nr": "Not Rated",
    "unrated": "Not Rated",
}
_WARNING_NAMES = {name.casefold(): name for name in WARNINGS}
_WARNING_ALIASES = {
    "choose not to use archive warnings": CHOSE_NOT_TO_WARN,
    "creator chose not to use archive warnings": CHOSE_NOT_TO_WARN,
    "chose not to warn": CHOSE_NOT_TO_WARN,
    "no archive warnings apply": NO_WARNINGS_APPLY,
    "none": NO_WARNINGS_APPLY,
    "no warnings": NO_WARNINGS_APPLY,
    "graphic violence": "Graphic Depictions Of Violence",
    "violence": "Graphic Depictions Of Violence",
    "character death": "Major Character Death",
    "death": "Major Character Death",
    "rape": "Rape/Non-Con",
    "non-con": "Rape/Non-Con",
    "noncon": "Rape/Non-Con",
    "underage": "Underage Sex",
}
_CATEGORY_NAMES = {name.casefold(): name for name in CATEGORIES}
_CATEGORY_ALIASES = {"het": "F/M", "slash": "M/M", "femslash": "F/F", "general": "Gen", "multiple": "Multi"}
_LANGUAGE_CODES = {code.casefold(): code for code, _name in LANGUAGES}
_LANGUAGE_NAMES = {name.casefold(): code for code, name in LANGUAGES}
_ENGLISH_LANGUAGE_NAMES = {
    "english": "en", "arabic": "ar", "bulgarian": "bg", "catalan": "ca", "czech": "cs", "welsh": "cy",
    "danish": "da", "german": "de", "greek": "el", "spanish": "es", "estonian": "et", "persian": "fa",
    "finnish": "fi", "french": "fr", "irish": "ga", "hebrew": "he", "hindi": "hi", "croatian": "hr",
    "hungarian": "hu", "indonesian": "id", "icelandic": "is", "italian": "it", "japanese": "ja",
    "korean": "ko", "latin": "la", "lithuanian": "lt", "latvian": "lv", "malay": "ms", "dutch": "nl",
    "norwegian": "no", "polish": "pl", "portuguese": "pt-BR", "romanian": "ro", "russian": "ru",
    "slovak": "sk", "slovenian": "sl", "serbian": "sr", "swedish": "sv", "thai": "th", "turkish": "tr",
    "ukrainian": "uk", "vietnamese": "vi", "chinese": "zh",
}  # fmt: skip
_TAG_FIELDS = ("fandoms", "relationships", "characters", "freeforms")


def _map_rating(work: ParsedWork) -> None:
    raw = " ".join(work.rating.split())
    key = raw.casefold()
    rating = _RATING_NAMES.get(key) or _RATING_ALIASES.get(key)
    if rating is None:
        rating = "Not Rated"
        if raw:
            work.warnings_found.append(
                gettext("Rating “%(raw)s” is not one of the archive's: set to Not Rated.") % {"raw": raw}
            )
        else:
            work.warnings_found.append(gettext("No rating found: set to Not Rated."))
    elif rating != raw:
        work.detected.append(gettext("Rating “%(raw)s” read as %(rating)s.") % {"raw": raw, "rating": rating})
    work.rating = rating


def _map_warnings(work: ParsedWork) -> None:
    found: list[str] = []
    for raw in work.warnings:
        key = " ".join(raw.split()).casefold()
        warning = _WARNING_NAMES.get(key) or _WARNING_ALIASES.get(key)
        if warning is None:
            work.freeforms.append(raw)
            work.warnings_found.append(
                gettext("Warning “%(raw)s” is not an archive warning: kept as an additional tag.") % {"raw": raw}
            )
        elif warning not in found:
            found.append(warning)
    if not found:
        found = [CHOSE_NOT_TO_WARN]
        work.warnings_found.append(
            gettext("No archive warnings found: set to “%(warning)s”.") % {"warning": CHOSE_NOT_TO_WARN}
        )
    if len(found) > 1 and NO_WARNINGS_APPLY in found:
        found.remove(NO_WARNINGS_APPLY)
    work.warnings = found


def _map_categories(work: ParsedWork) -> None:
    found: list[str] = []
    for raw in work.categories:
        key = " ".join(raw.split()).casefold()
        category = _CATEGORY_NAMES.get(key) or _CATEGORY_ALIASES.get(key)
        if category is None:
            work.warnings_found.append(
                gettext("Category “%(raw)s” is not one of the archive's: dropped.") % {"raw": raw}
            )
        elif category not in found:
            found.append(category)
    work.categories = found


def _map_language(work: ParsedWork) -> None:
    raw = " ".join(work.language.split())
    key = raw.casefold()
    code = (
        _LANGUAGE_CODES.get(key)
        or _LANGUAGE_NAMES.get(key)
        or _ENGLISH_LANGUAGE_NAMES.get(key)
        or _LANGUAGE_CODES.get(key.split("-")[0].split("_")[0])
    )
    if code is None:
        if raw:
            work.warnings_found.append(gettext("Language “%(raw)s” is not known here: set to English.") % {"raw": raw})
        code = "en"
    work.language = code


def _clean_tags(work: ParsedWork) -> None:
    seen: set[str] = set()
    total = 0
    for field in _TAG_FIELDS:
        kept: list[str] = []
        for raw in getattr(work, field):
            name = " ".join(raw.split())
            if not name:
                continue
            bad = sorted(FORBIDDEN_CHARACTERS.intersection(name))
            if bad:
                cleaned = " ".join("".join(c for c in name if c not in FORBIDDEN_CHARACTERS).split())
                work.warnings_found.append(
                    gettext("Tag “%(name)s”: characters tags can't have (%(characters)s) removed.")
                    % {"name": name, "characters": " ".join(bad)}
                )
                name = cleaned
            if len(name) > TAG_NAME_MAX:
                work.warnings_found.append(
                    gettext("Tag “%(name)s…” is longer than %(maximum)s characters: dropped.")
                    % {"name": name[:40], "maximum": TAG_NAME_MAX}
                )
                continue
            if not name or name.casefold() in seen:
                continue
            seen.add(name.casefold())
            kept.append(name)
        setattr(work, field, kept)
        total += len(kept)
    if total > USER_TAGS_MAX:
        excess = total - USER_TAGS_MAX
        for field in reversed(_TAG_FIELDS):
            values: list[str] = getattr(work, field)
            cut = min(excess, len(values))
            if cut:
                setattr(work, field, values[: len(values) - cut])
                excess -= cut
        work.warnings_found.append(
            gettext("More than %(maximum)s tags: the last %(dropped)s dropped.")
            % {"maximum": USER_TAGS_MAX, "dropped": total - USER_TAGS_MAX}
        )


def _html(value: str) -> str:
    return clean_html(value) if value.strip() else ""


def _fit(work: ParsedWork) -> None:
    """Over-long summaries and notes move into the text rather than being cut."""
    first, last = work.chapters[0], work.chapters[-1]
    if len(work.summary) > SUMMARY_MAX:
        work.warnings_found.append(
            gettext("The summary is longer than %(maximum)s characters: moved into the notes.")
            % {"maximum": f"{SUMMARY_MAX:,}"}
        )
        work.notes = "\n".join(part for part in (work.summary, work.notes) if part)
        work.summary = ""
    if len(work.notes) > NOTES_MAX:
        work.warnings_found.append(
            gettext("The notes are longer than %(maximum)s characters: moved to the start of the first chapter.")
            % {"maximum": f"{NOTES_MAX:,}"}
        )
        first.html = work.notes + "\n<hr>\n" + first.html
        work.notes = ""
    if len(work.endnotes) > NOTES_MAX:
        work.warnings_found.append(
            gettext("The end notes are longer than %(maximum)s characters: moved to the end of the last chapter.")
            % {"maximum": f"{NOTES_MAX:,}"}
        )
        last.html = last.html + "\n<hr>\n" + work.endnotes
        work.endnotes = ""
    for number, chapter in enumerate(work.chapters, start=1):
        if len(chapter.summary) > SUMMARY_MAX:
            chapter.notes = "\n".join(part for part in (chapter.summary, chapter.notes) if part)
            chapter.summary = ""
            work.warnings_found.append(
                gettext("Chapter %(number)s: summary too long, moved into the chapter notes.") % {"number": number}
            )
        for field, where in (("notes", "start"), ("endnotes", "end")):
            value = getattr(chapter, field)
            if len(value) > NOTES_MAX:
                setattr(chapter, field, "")
                chapter.html = (
                    value + "\n<hr>\n" + chapter.html if where == "start" else chapter.html + "\n<hr>\n" + value
                )
                work.warnings_found.append(
                    gettext("Chapter %(number)s: %(field)s too long, moved to the %(where)s of the text.")
                    % {"number": number, "field": field, "where": where}
                )
        if len(chapter.html) > CHAPTER_MAX:
            raise ImportRefused(
                gettext(
                    "Chapter %(number)s has %(count)s characters; a chapter can have at "
                    "most %(maximum)s. Split it with chapter headings (“Chapter 2”) and import "
                    "it again."
                )
                % {"number": number, "count": f"{len(chapter.html):,}", "maximum": f"{CHAPTER_MAX:,}"}
            )


def normalize(work: ParsedWork, *, fallback_title: str) -> ParsedWork:
    work.title = " ".join(work.title.split())
    if not work.title:
        work.title = fallback_title
    if len(work.title) > TITLE_MAX:
        work.warnings_found.append(
            gettext("The title is longer than %(maximum)s characters: shortened.") % {"maximum": TITLE_MAX}
        )
        work.title = work.title[: TITLE_MAX - 1].rstrip() + "…"
    work.creators = [" ".join(name.split()) for name in work.creators if name.strip()]
    _map_rating(work)
    _map_warnings(work)
    _map_categories(work)
    _map_language(work)
    _clean_tags(work)
    work.series_title = " ".join(work.series_title.split())[:TITLE_MAX]
    work.summary, work.notes, work.endnotes = _html(work.summary), _html(work.notes), _html(work.endnotes)
    chapters = []
    for number, chapter in enumerate(work.chapters, start=1):
        chapter.title = " ".join(chapter.title.split())[:TITLE_MAX]
        chapter.summary, chapter.notes, chapter.endnotes = (
            _html(chapter.summary),
            _html(chapter.notes),
            _html(chapter.endnotes),
        )
        chapter.html = _html(chapter.html)
        if len(strip_html(chapter.html).strip()) < CHAPTER_MIN:
            work.warnings_found.append(
                gettext("Chapter %(number)s has no text (or almost none): left out.") % {"number": number}
            )
            continue
        chapters.append(chapter)
    if not chapters:
        raise ImportRefused(gettext("No text was found in the file."))
    work.chapters = chapters
    _fit(work)
    if work.expected_chapters is not None and work.expected_chapters < len(chapters):
        work.expected_chapters = len(chapters)
    if not work.fandoms:
        work.warnings_found.append(gettext("No fandom found: add one before posting."))
    work.detected = list(dict.fromkeys(work.detected))
    work.warnings_found = list(dict.fromkeys(work.warnings_found))
    return work
