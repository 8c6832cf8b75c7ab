from django.urls import path

from support import views

urlpatterns = [
    path("", views.contact, name="support_contact"),
    path("mine", views.mine, name="support_mine"),
    path("mine/<int:request_id>/follow-up", views.follow_up, name="support_follow_up"),
    path("queue", views.queue, name="support_queue"),
    path("requests/<int:request_id>", views.detail, name="support_request"),
    path("requests/<int:request_id>/claim", views.claim, name="support_claim"),
    path("requests/<int:request_id>/note", views.note, name="support_note"),
    path("requests/<int:request_id>/reply", views.reply, name="support_reply"),
    path("requests/<int:request_id>/close", views.close, name="support_close"),
    path("accounts", views.accounts, name="support_accounts"),
    path("accounts/<int:user_id>/verification", views.resend_verification, name="support_resend_verification"),
]
