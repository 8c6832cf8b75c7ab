from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.actions import exclude_tags, remove_tag_exclusion
from accounts.models import TagExclusion, User
from lib.params import parse_id
from tags.models import Tag, tag_name_key
from tags.parsing import split_tag_names

# A reader's tag exclusion list (accounts.TagExclusion): works with these tags are left out of listings.
MAX_EXCLUSIONS = 500


@login_required
def exclusions(request: HttpRequest) -> HttpResponse:
    """The tags this reader never wants to see; works with them are left out of every listing."""
    assert isinstance(request.user, User)
    if request.method == "POST":
        if "remove" in request.POST:
            remove_tag_exclusion(request.user, parse_id(request.POST.get("remove")) or 0)
            messages.success(request, _("The tag was removed from your exclusion list."))
            return redirect("exclusions")
        names = split_tag_names(request.POST.get("tags", ""))
        found = {t.name_key: t for t in Tag.objects.filter(name_key__in=[tag_name_key(n) for n in names])}
        missing = [n for n in names if tag_name_key(n) not in found]
        if missing:
            messages.error(
                request,
                _("No tag is called %(names)s; nothing was added.") % {"names": ", ".join(f"“{n}”" for n in missing)},
            )
        elif not names:
            messages.error(request, _("Type the names of the tags to exclude."))
        else:
            current = TagExclusion.objects.filter(user=request.user).count()
            if current + len(found) > MAX_EXCLUSIONS:
                messages.error(
                    request, _("An exclusion list can hold at most %(count)s tags.") % {"count": MAX_EXCLUSIONS}
                )
            else:
                exclude_tags(request.user, [tag.pk for tag in found.values()])
                messages.success(
                    request,
                    ngettext(
                        "Added %(count)s tag to your exclusion list.",
                        "Added %(count)s tags to your exclusion list.",
                        len(found),
                    )
                    % {"count": len(found)},
                )
        return redirect("exclusions")
    excluded = Tag.objects.filter(pk__in=TagExclusion.objects.filter(user=request.user).values("tag_id")).order_by(
        "name"
    )
    return render(request, "accounts/exclusions.html", {"excluded": excluded, "limit": MAX_EXCLUSIONS})
