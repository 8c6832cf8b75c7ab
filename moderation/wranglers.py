"""Appointing tag wranglers from the wrangling side (/wrangling/wranglers): the same verbs as the
roles page (moderation.actions.appoint/dismiss), so every appointment is in the moderation log.
It lives here, above wrangling, because wrangling may not import moderation (see CONTRIBUTING, Layers)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from moderation import actions as moderation_actions
from moderation.roles import Role, can_manage_roles, requires
from tags.models import WranglerAssignment
from wrangling.forms import AppointWranglerForm
from wrangling.views import _signed_in_user

_staff_only = requires(can_manage_roles, "Only archive staff can do that.")


@_staff_only
def wranglers(request: HttpRequest) -> HttpResponse:
    """Staff appoint wranglers, for one fandom or for every fandom, and remove them."""
    user = _signed_in_user(request)
    assert user is not None
    form = AppointWranglerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        account, fandom = form.cleaned_data["username"], form.cleaned_data["fandom"]
        try:
            # The roles page's verb: one way to appoint, logged in the moderation log.
            moderation_actions.appoint(user, account, Role.WRANGLER, fandom=fandom)
        except moderation_actions.ModerationError as refusal:
            form.add_error(None, refusal.message)
        else:
            what = f"“{fandom.name}”" if fandom else gettext("every fandom")
            messages.success(
                request, gettext("%(username)s now wrangles %(what)s.") % {"username": account.username, "what": what}
            )
            return redirect("wranglers")
    assignments = WranglerAssignment.objects.select_related("user", "fandom").order_by("user__username", "fandom__name")
    return render(request, "wrangling/wranglers.html", {"form": form, "assignments": assignments})


@require_POST
@_staff_only
def wrangler_remove(request: HttpRequest, assignment_id: int) -> HttpResponse:
    user = _signed_in_user(request)
    assert user is not None
    assignment = get_object_or_404(WranglerAssignment.objects.select_related("user", "fandom"), pk=assignment_id)
    what = f"“{assignment.fandom.name}”" if assignment.fandom else gettext("every fandom")
    try:
        moderation_actions.dismiss(user, assignment.user, Role.WRANGLER, fandom=assignment.fandom)
    except moderation_actions.ModerationError as refusal:
        messages.error(request, refusal.message)
        return redirect("wranglers")
    messages.success(
        request,
        gettext("%(username)s no longer wrangles %(what)s.") % {"username": assignment.user.username, "what": what},
    )
    return redirect("wranglers")
