"""The tool's error type and exit codes.

Every failure a user can cause (a missing file, a bad column name, a broken rule file) is raised
as :class:`InputError`; the CLI turns it into one line on stderr and exit code 2. Anything else is a
bug in lossadvisor and is allowed to surface as such.
"""

from __future__ import annotations

EXIT_OK = 0
"""Nothing to report."""
EXIT_FINDINGS = 1
"""``lint`` found problems at or above ``--fail-on``."""
EXIT_ERROR = 2
"""Usage or input error: the command could not do its job."""


class InputError(Exception):
    """A problem with what the user gave us, phrased as what, where and what to do.

    ``where`` is a path (optionally ``path:line``) and is printed first so editors and CI logs can
    link to it; ``hint`` says what to do about it.
    """

    def __init__(self, what: str, where: str | None = None, hint: str | None = None):
        self.what = what
        self.where = where
        self.hint = hint
        super().__init__(self.one_line())

    def __reduce__(self):
        # Crosses process and cluster boundaries (--jobs, --engine dask) with all three parts.
        return (type(self), (self.what, self.where, self.hint))

    def one_line(self) -> str:
        parts = []
        if self.where:
            parts.append(f"{self.where}: ")
        parts.append(self.what)
        if self.hint:
            if self.what.endswith("?"):  # no "?;" after "did you mean 'x'?"
                parts.append(f" {self.hint}")
            else:
                parts.append(f"; {self.hint}")
        text = "".join(parts).replace("\n", " ")
        # Whatever else str.splitlines() breaks on (a CR in a column name) is shown escaped.
        return text.translate(_LINE_BREAKS)


_LINE_BREAKS = {ord(c): c.encode("unicode_escape").decode() for c in
                "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}


class ProblemList(InputError):
    """Every problem found in a set of files, one ``file:line: what`` per line, so a broken
    file is fixed in one pass instead of one error per run."""

    def __init__(self, problems: list[str], what: str = "problem(s)"):
        self.problems = problems
        super().__init__(f"{len(problems)} {what}")

    def one_line(self) -> str:  # printed as several lines: each problem is its own location
        return "\n".join(getattr(self, "problems", []))


def did_you_mean(word: str, choices: list[str] | tuple[str, ...] | set[str]) -> str:
    """A "; did you mean 'x'?" suffix, or '' when nothing is close enough to help."""
    match = closest(word, choices)
    return f"; did you mean '{match}'?" if match else ""


def closest(word: str, choices: list[str] | tuple[str, ...] | set[str]) -> str | None:
    """The choice a typo most likely meant (case-insensitive), or None."""
    import difflib

    lowered = {c.lower(): c for c in choices}
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def kind_of(value: object) -> str:
    """A value of the wrong type, as an error message names it: 'the number 3', 'a list'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    return type(value).__name__
