from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter
from django.utils.functional import lazy

from accounts import identity_views
from accounts import views as accounts_views
from api.views import api, api_docs, personal_tokens, unknown_endpoint
from bookmarks import views as bookmarks_views
from comments import views as comments_views
from community import views as community_views
from downloads import views as downloads_views
from feeds import opds_views
from feeds import views as feeds_views
from imports import views as imports_views
from jobs import views as jobs_views
from lib.tagurl import TagNameConverter
from migration import claim_views
from migration import views as migration_views
from moderation import views as moderation_views
from moderation import wranglers as moderation_wranglers
from search import views as search_views
from sitecontent.config import site_name
from tags import views as tags_views
from works import tag_views
from works import views as works_views
from wrangling import views as wrangling_views

register_converter(TagNameConverter, "tag")

# /works/<id>/…
work_urls = [
    path("", works_views.work_detail, name="work_detail"),
    path("navigate", works_views.work_navigate, name="work_navigate"),
    path("edit", works_views.work_edit, name="work_edit"),
    path("preview", works_views.work_preview, name="work_preview"),
    path("post", works_views.work_post, name="work_post"),
    path("delete", works_views.work_delete, name="work_delete"),
    path("orphan", works_views.work_orphan, name="work_orphan"),
    path("chapters/new", works_views.chapter_new, name="chapter_new"),
    path("chapters/manage", works_views.chapters_manage, name="chapters_manage"),
    path("chapters/<int:chapter_id>", works_views.chapter_detail, name="chapter_detail"),
    path("chapters/<int:chapter_id>/edit", works_views.chapter_edit, name="chapter_edit"),
    path("chapters/<int:chapter_id>/delete", works_views.chapter_delete, name="chapter_delete"),
    path("comments", comments_views.comment_create, name="comment_create"),
    path("comments/unreviewed", comments_views.unreviewed_comments, name="unreviewed_comments"),
    path("kudos", community_views.leave_kudos, name="leave_kudos"),
    path("mark_for_later", community_views.mark_for_later, name="mark_for_later"),
    path("mark_as_read", community_views.mark_as_read, name="mark_as_read"),
    path("bookmarks", bookmarks_views.work_bookmarks, name="work_bookmarks"),
    path("bookmarks/new", bookmarks_views.bookmark_work, name="bookmark_work"),
    path("download/<str:extension>", downloads_views.download, name="download"),
]

# /moderation/…: the desk, the log and roles (moderation app; moderation.roles says who may).
moderation_urls = [
    path("reports/<int:report_id>", moderation_views.case, name="moderation_case"),
    path("reports/<int:report_id>/claim", moderation_views.case_claim, name="moderation_claim"),
    path("reports/<int:report_id>/note", moderation_views.case_note, name="moderation_note"),
    path("reports/<int:report_id>/resolve", moderation_views.case_resolve, name="moderation_resolve"),
    path("reports/<int:report_id>/act/<str:verb>", moderation_views.case_act, name="moderation_act"),
    path("works/<int:work_id>", moderation_views.work_text, name="moderation_work"),
    path("log", moderation_views.log, name="moderation_log"),
    path("users/<str:username>", moderation_views.user_history, name="moderation_user"),
    path("roles", moderation_views.roles, name="moderation_roles"),
    path("roles/<str:role>/<int:user_id>/remove", moderation_views.role_remove, name="moderation_role_remove"),
    path("messages", moderation_views.notices, name="moderation_notices"),
    path("messages/<int:notice_id>/answer", moderation_views.notice_answer, name="moderation_notice_answer"),
]

account_urls = [
    path("signup", accounts_views.signup, name="signup"),
    path("login", accounts_views.login_view, name="login"),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path("preferences", accounts_views.preferences, name="preferences"),
    path("reader-settings", accounts_views.reader_settings, name="reader_settings"),
    path("pseuds/new", accounts_views.pseud_new, name="pseud_new"),
    path("pseuds/<int:pseud_id>/edit", accounts_views.pseud_edit, name="pseud_edit"),
    path("drafts", works_views.drafts, name="drafts"),
    path("filters", accounts_views.saved_filters, name="saved_filters"),
    path("filters/new", accounts_views.saved_filter_new, name="saved_filter_new"),
    path("exclusions", tags_views.exclusions, name="exclusions"),
    path("unsubscribe/<str:token>", accounts_views.unsubscribe, name="unsubscribe"),
    # Sign-ups and identity (accounts/identity_views.py).
    path("invitations", identity_views.my_invitations, name="my_invitations"),
    path("invitations/request", identity_views.queue_join, name="queue_join"),
    path("invitations/queue/<str:token>", identity_views.queue_status, name="queue_status"),
    path("verify/<str:token>", identity_views.verify_email, name="verify_email"),
    path("verify", identity_views.resend_verification, name="resend_verification"),
    path("email", identity_views.email_change, name="email_change"),
    path("username", identity_views.username_change, name="username_change"),
    path("terms", identity_views.terms_accept, name="terms_accept"),
    path("delete", identity_views.account_delete, name="account_delete"),
    path("export", identity_views.data_export, name="data_export"),
    path("export/<int:export_id>", identity_views.data_export_download, name="data_export_download"),
    path("pseuds/<int:pseud_id>/orphan", works_views.pseud_orphan, name="pseud_orphan"),
    path("stats", community_views.stats, name="stats"),
    path("subscriptions", community_views.subscriptions, name="subscriptions"),
    path("blocked", community_views.blocked_users, name="blocked_users"),
    path("muted", community_views.muted_users, name="muted_users"),
    path("tokens", personal_tokens, name="personal_tokens"),
    # Django would name the site by the request's host; the email names it as staff set it (lazy: read per email).
    path(
        "password_reset",
        auth_views.PasswordResetView.as_view(extra_email_context={"site_name": lazy(site_name, str)()}),
        name="password_reset",
    ),
    path("password_reset/done", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("reset/done", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("password_change", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]

urlpatterns = [
    path("", works_views.home, name="home"),
    path("healthz", jobs_views.healthz, name="healthz"),
    path("works", works_views.work_index, name="work_index"),
    path("works/new", works_views.work_new, name="work_new"),
    # Full-text search (search app); /search/api serves other nodes when this one holds the index.
    path("search/", search_views.search, name="search"),
    path("search/advanced", search_views.advanced_search, name="advanced_search"),
    path("search/advanced/go", search_views.advanced_search_go, name="advanced_search_go"),
    path("search/api", search_views.search_api, name="search_api"),
    # Importing a work from a file (imports app): upload, preview and correct, save as a draft.
    path("works/import", imports_views.import_upload, name="import_upload"),
    path("works/import/<str:token>", imports_views.import_preview, name="import_preview"),
    path("works/import/<str:token>/cancel", imports_views.import_cancel, name="import_cancel"),
    path("works/<int:work_id>/", include(work_urls)),
    path("series/<int:series_id>", works_views.series_detail, name="series_detail"),
    # Comments (comments app): threads, editing, moderation by the work's creators; the inbox.
    path("comments/<int:comment_id>", comments_views.comment_thread, name="comment_thread"),
    path("comments/<int:comment_id>/edit", comments_views.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/delete", comments_views.comment_delete, name="comment_delete"),
    path("comments/<int:comment_id>/approve", comments_views.comment_approve, name="comment_approve"),
    path("comments/<int:comment_id>/reject", comments_views.comment_reject, name="comment_reject"),
    path("comments/<int:comment_id>/spam", comments_views.comment_spam, name="comment_spam"),
    path("inbox", comments_views.inbox, name="inbox"),
    path("inbox/<int:item_id>/reply", comments_views.inbox_reply, name="inbox_reply"),
    path("series/<int:series_id>/bookmarks/new", bookmarks_views.bookmark_series, name="bookmark_series"),
    path("bookmarks/<int:bookmark_id>/edit", bookmarks_views.bookmark_edit, name="bookmark_edit"),
    path("bookmarks/<int:bookmark_id>/delete", bookmarks_views.bookmark_delete, name="bookmark_delete"),
    # Reader engagement: subscriptions, history, Marked for Later (community app).
    path("subscriptions", community_views.subscribe, name="subscribe"),
    path("subscriptions/<int:subscription_id>/delete", community_views.unsubscribe, name="subscription_delete"),
    path("history", community_views.history, name="history"),
    path("history/clear", community_views.history_clear, name="history_clear"),
    path("later", community_views.later, name="later"),
    path("tags/<tag:name>", tag_views.tag_detail, name="tag_detail"),
    path("tags/<tag:name>/works", tag_views.tag_works, name="tag_works"),
    path("media", tag_views.fandom_index, name="fandom_index"),
    # Tag wrangling: wranglers and staff (wrangling.permissions); appointing wranglers is staff-only.
    path("tags/<tag:name>/edit", wrangling_views.tag_edit, name="tag_edit"),
    path("wrangling", wrangling_views.wrangling_dashboard, name="wrangling_dashboard"),
    path("wrangling/log", wrangling_views.wrangling_log, name="wrangling_log"),
    path("wrangling/wranglers", moderation_wranglers.wranglers, name="wranglers"),
    path(
        "wrangling/wranglers/<int:assignment_id>/remove", moderation_wranglers.wrangler_remove, name="wrangler_remove"
    ),
    path("autocomplete/tags", tag_views.tag_autocomplete, name="tag_autocomplete"),
    path("users/<str:username>", works_views.user_profile, name="user_profile"),
    path("users/<str:username>/pseuds/<str:pseud_name>", works_views.pseud_profile, name="pseud_profile"),
    path("users/<str:username>/bookmarks", bookmarks_views.user_bookmarks, name="user_bookmarks"),
    path("users/<str:username>/block", community_views.block, name="block"),
    path("users/<str:username>/unblock", community_views.unblock, name="unblock"),
    path("users/<str:username>/mute", community_views.mute, name="mute"),
    path("users/<str:username>/unmute", community_views.unmute, name="unmute"),
    path("account/", include(account_urls)),
    # Reporting anything (a work, chapter, comment, bookmark, profile or tag) to the moderators.
    path("report/<str:kind>/<int:pk>", moderation_views.report_new, name="report"),
    path("moderation", moderation_views.desk, name="moderation_desk"),
    # Co-creator invitations: a work credits someone else only once they accept.
    path("invitations", moderation_views.invitations, name="co_creator_invitations"),
    path("invitations/<int:invitation_id>/accept", moderation_views.invitation_accept, name="invitation_accept"),
    path("invitations/<int:invitation_id>/decline", moderation_views.invitation_decline, name="invitation_decline"),
    path("moderation/", include(moderation_urls)),
    path("staff/invitations", identity_views.staff_invitations, name="staff_invitations"),
    # Contacting support, support's queue and account lookup (support app; moderation.roles says who).
    path("support/", include("support.urls")),
    # Archive settings, site pages and the banner (sitecontent app).
    path("", include("sitecontent.urls")),
    # The archive's news and members' comments on it (news app).
    path("", include("news.urls")),
    path("admin/", admin.site.urls),
    # Atom feeds (feeds app): the same query string as the listing page, always as a guest sees it.
    path("works/feed.atom", feeds_views.works_feed, name="works_feed"),
    path("tags/<tag:name>/feed.atom", feeds_views.tag_feed, name="tag_feed"),
    path("users/<str:username>/feed.atom", feeds_views.user_feed, name="user_feed"),
    path("users/<str:username>/pseuds/<str:pseud_name>/feed.atom", feeds_views.pseud_feed, name="pseud_feed"),
    path("users/<str:username>/bookmarks/feed.atom", feeds_views.bookmarks_feed, name="bookmarks_feed"),
    path("series/<int:series_id>/feed.atom", feeds_views.series_feed, name="series_feed"),
    path("search/feed.atom", feeds_views.search_feed, name="search_feed"),
    # The OPDS 1.2 catalog for reading apps (feeds app); personal tokens sign in (HTTP Basic or Bearer).
    path("opds/", opds_views.opds_root, name="opds_root"),
    path("opds/media", opds_views.opds_media, name="opds_media"),
    path("opds/media/<str:media>", opds_views.opds_media_fandoms, name="opds_media_fandoms"),
    path("opds/works", opds_views.opds_works, name="opds_works"),
    path("opds/search", opds_views.opds_search, name="opds_search"),
    path("opds/opensearch.xml", opds_views.opds_opensearch, name="opds_opensearch"),
    path("opds/bookmarks", opds_views.opds_bookmarks, name="opds_bookmarks"),
    path("opds/later", opds_views.opds_later, name="opds_later"),
    path("opds/v2/", opds_views.opds2_root, name="opds2_root"),
    path("opds/v2/works", opds_views.opds_works, {"v2": True}, name="opds2_works"),
    path("opds/v2/search", opds_views.opds_search, {"v2": True}, name="opds2_search"),
    path("opds/v2/bookmarks", opds_views.opds_bookmarks, {"v2": True}, name="opds2_bookmarks"),
    path("opds/v2/later", opds_views.opds_later, {"v2": True}, name="opds2_later"),
    # The read/write API (api app); its OpenAPI document is /api/v1/openapi.json.
    path("api/v1/", api.urls),
    path("api/v1/docs", api_docs, name="api_docs"),
    path("api/v1/<path:rest>", unknown_endpoint),
    # An imported eFiction archive's old links (migration app): permanent redirects through the id map.
    path("viewstory.php", migration_views.viewstory, name="efiction_viewstory"),
    path("viewuser.php", migration_views.viewuser, name="efiction_viewuser"),
    path("viewseries.php", migration_views.viewseries, name="efiction_viewseries"),
    path("browse.php", migration_views.browse, name="efiction_browse"),
    # Archiving for others: a creator's claim through their invitation link; claim status per creator.
    path("claim/<str:token>", claim_views.claim_page, name="claim"),
    path("archived-creators", claim_views.claim_status, name="claim_status"),
]
# Requests Django refuses before any view (too large, too many fields): the archive's own page.
handler400 = "lib.errors.bad_request"
