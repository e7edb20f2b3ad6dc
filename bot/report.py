"""The FAQ writers' summary of what the store kept: `leafletbot report` and /stats.

replies per kind and per entry, the fallback share per week, why questions went unanswered
and their nearest topics (all of it kept without any text), the entries with the most 👎,
and, only when the operator keeps texts, the unanswered questions grouped by likeness.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, process

from bot.cleaning import clean
from bot.store import Store

GROUP_LIKENESS = 75.0  # token_sort_ratio at which two unanswered questions are one group
MAX_EXAMPLES = 3


@dataclass(frozen=True, slots=True)
class Group:
    count: int
    examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Report:
    since: date | None
    total: int
    kinds: tuple[tuple[str, int], ...]
    entries: tuple[tuple[str, int], ...]
    weeks: tuple[tuple[str, int, int], ...]  # week, fallbacks, replies
    reasons: tuple[tuple[str, int], ...]  # why a fallback or clarify: unknown, costs, vague...
    nearest: tuple[tuple[str, int], ...]  # the nearest topic of unanswered questions
    votes: tuple[tuple[str, int, int], ...]  # entry, 👎, 👍
    unanswered: tuple[Group, ...]


def build_report(store: Store, since: date | None = None) -> Report:
    """Count everything kept since `since` (all of it when None)."""
    start = f"{since.isoformat()}T00:00" if since else ""
    rows = store.query(
        "SELECT kind, COUNT(*) FROM replies WHERE hour >= ? GROUP BY kind ORDER BY COUNT(*) DESC",
        (start,),
    )
    kinds = tuple((str(k), int(str(n))) for k, n in rows)
    entries = tuple(
        (str(e), int(str(n)))
        for e, n in store.query(
            "SELECT entry, COUNT(*) FROM replies WHERE hour >= ? AND entry IS NOT NULL "
            "GROUP BY entry ORDER BY COUNT(*) DESC, entry",
            (start,),
        )
    )
    weeks = tuple(
        (str(w), int(str(f)), int(str(n)))
        for w, f, n in store.query(
            "SELECT strftime('%Y-W%W', substr(hour, 1, 10)), SUM(kind = 'fallback'), COUNT(*) "
            "FROM replies WHERE hour >= ? GROUP BY 1 ORDER BY 1",
            (start,),
        )
    )
    reasons = counts(
        store,
        "SELECT kind || ': ' || reason, COUNT(*) FROM replies WHERE hour >= ? "
        "AND kind IN ('fallback', 'clarify') GROUP BY 1 ORDER BY 2 DESC, 1",
        start,
    )
    nearest = counts(
        store,
        "SELECT nearest, COUNT(*) FROM replies WHERE hour >= ? AND nearest IS NOT NULL "
        "GROUP BY 1 ORDER BY 2 DESC, 1",
        start,
    )
    votes = tuple(
        (str(e), int(str(d)), int(str(u)))
        for e, d, u in store.query(
            "SELECT entry, SUM(vote < 0), SUM(vote > 0) FROM votes WHERE hour >= ? GROUP BY entry "
            "HAVING SUM(vote < 0) > 0 ORDER BY 2 DESC, entry LIMIT 10",
            (start,),
        )
    )
    texts = [
        (str(t), int(str(n)))
        for t, n in store.query(
            "SELECT text, COUNT(*) FROM questions WHERE hour >= ? GROUP BY text "
            "ORDER BY COUNT(*) DESC, text",
            (start,),
        )
    ]
    total = sum(n for _, n in kinds)
    return Report(
        since, total, kinds, entries, weeks, reasons, nearest, votes, group_questions(texts)
    )


def counts(store: Store, sql: str, start: str) -> tuple[tuple[str, int], ...]:
    """(key, count) rows of a grouped query."""
    return tuple((str(k), int(str(n))) for k, n in store.query(sql, (start,)))


def group_questions(texts: list[tuple[str, int]]) -> tuple[Group, ...]:
    """Greedy grouping, most frequent first: a question joins the first group whose leading
    question it resembles (rapidfuzz token_sort_ratio on cleaned text), else leads a new one."""
    leaders: list[str] = []
    members: list[list[tuple[str, int]]] = []
    for text, count in texts:
        key = clean(text).strip()
        found = (
            process.extractOne(
                key, leaders, scorer=fuzz.token_sort_ratio, score_cutoff=GROUP_LIKENESS
            )
            if leaders
            else None
        )
        if found is None:
            leaders.append(key)
            members.append([(text, count)])
        else:
            members[found[2]].append((text, count))
    groups = [Group(sum(n for _, n in m), tuple(t for t, _ in m[:MAX_EXAMPLES])) for m in members]
    return tuple(sorted(groups, key=lambda g: -g.count))


def render_text(report: Report, limit: int = 20) -> str:
    """A plain-text summary; `limit` rows a table."""

    def share(part: int, whole: int) -> str:
        return f"{100 * part / whole:.0f}%" if whole else "-"

    lines = [f"Replies since {report.since or 'the start'}: {report.total}", "", "Per kind:"]
    lines += [f"  {k:<10} {n:>7}  {share(n, report.total)}" for k, n in report.kinds]
    lines += ["", "Per entry:"]
    lines += [f"  {e:<30} {n:>7}" for e, n in report.entries[:limit]]
    lines += ["", "Fallback share per week:"]
    lines += [f"  {w}  {share(f, n):>4} of {n}" for w, f, n in report.weeks[-limit:]]
    lines += ["", "Why not answered:"]
    lines += [f"  {r:<30} {n:>7}" for r, n in report.reasons[:limit]] or ["  none"]
    lines += ["", "Nearest topic of questions not answered:"]
    lines += [f"  {e:<30} {n:>7}" for e, n in report.nearest[:limit]] or ["  none"]
    lines += ["", "Most thumbs down:"]
    lines += [f"  {e:<30} down {d}, up {u}" for e, d, u in report.votes[:limit]] or ["  none"]
    lines += ["", "Unanswered questions, grouped:"]
    lines += [f"  {g.count:>5}  " + " | ".join(g.examples) for g in report.unanswered[:limit]]
    if not report.unanswered:
        lines.append("  none kept (texts are kept only with KEEP_QUESTION_TEXTS=true)")
    return "\n".join(lines)


def render_csv(report: Report) -> str:
    """One CSV: section, key, count, extra (share, 👍, or examples)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "key", "count", "extra"])
    for kind, n in report.kinds:
        writer.writerow(["kind", kind, n, ""])
    for entry, n in report.entries:
        writer.writerow(["entry", entry, n, ""])
    for week, fallbacks, n in report.weeks:
        ratio = f"{fallbacks / n:.3f}" if n else ""
        writer.writerow(["week_fallback_share", week, fallbacks, ratio])
    for reason, n in report.reasons:
        writer.writerow(["not_answered_why", reason, n, ""])
    for entry, n in report.nearest:
        writer.writerow(["not_answered_nearest", entry, n, ""])
    for entry, down, up in report.votes:
        writer.writerow(["thumbs_down", entry, down, f"up {up}"])
    for group in report.unanswered:
        writer.writerow(["unanswered", group.examples[0], group.count, " | ".join(group.examples)])
    return out.getvalue()
