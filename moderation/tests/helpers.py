"""Personas for the moderation tests: Alice writes, Bob reads, Sam is staff, Mo a moderator."""

from typing import Any

from accounts.actions import create_account
from accounts.models import User
from fanarchive.test import BaseTestCase
from moderation import actions
from moderation.models import CaseNote, LogEntry, Notice, Report
from moderation.roles import Role
from works.models import Work


class ModerationTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.staff = create_account("sam", "sam@example.org", self.password)
        self.staff.is_staff = True
        self.staff.save(update_fields=["is_staff"])
        self.moderator = create_account("mo", "mo@example.org", self.password)
        actions.appoint(self.staff, self.moderator, Role.MODERATOR)

    def report(self, kind: str, pk: int, **overrides: Any) -> Report:
        """File a report through the form as whoever is logged in (a guest when nobody is)."""
        data = {"category": "harassment", "description": "Please look at this.", **overrides}
        response = self.client.post(f"/report/{kind}/{pk}", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        report = Report.objects.order_by("-id").first()
        assert report is not None
        return report

    def report_work(self, work: Work, reporter: User | None = None, **overrides: Any) -> Report:
        if reporter is None:
            self.client.logout()
            overrides.setdefault("email", "guest@example.net")
        else:
            self.login(reporter)
        report = self.report("work", work.pk, **overrides)
        self.client.logout()
        return report

    def act(self, report: Report, verb: str, *, follow: bool = False, **fields: Any) -> Any:
        """Take a decision on a case from the desk, as the moderator."""
        self.login(self.moderator)
        data = {f"{verb}-{name}": value for name, value in {"reason": "Against the rules.", **fields}.items()}
        return self.client.post(f"/moderation/reports/{report.pk}/act/{verb}", data, follow=follow)

    def queue(self, query: str = "") -> str:
        """The table of cases on the desk (not the messages above it)."""
        page = self.client.get(f"/moderation{query}").content.decode()
        return page.split("<tbody>", 1)[1] if "<tbody>" in page else ""


def moderation_texts() -> list[str]:
    """What the moderation pages show that is data, not wording: references, reports, reasons, snapshots."""
    values: list[str] = []
    for report in Report.objects.all():
        values += [report.reference, report.description, report.outcome]
        for value in report.snapshot.values():
            values += [str(item) for item in value] if isinstance(value, list) else [str(value)]
    values += LogEntry.objects.values_list("reason", flat=True)
    values += Notice.objects.values_list("reason", flat=True)
    values += Notice.objects.values_list("subject", flat=True)
    values += CaseNote.objects.values_list("text", flat=True)
    return values
