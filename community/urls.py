from django.urls import path

from .views import boards, circles, home, moderation

app_name = "community"
urlpatterns = [
    path("", home.index, name="index"),
    path("courses/<int:course_id>/", boards.board, name="board"),
    path("courses/<int:course_id>/new/", boards.thread_new, name="thread_new"),
    path("courses/<int:course_id>/settings/", boards.board_settings, name="board_settings"),
    path("threads/<int:thread_id>/", boards.thread, name="thread"),
    path("threads/<int:thread_id>/reply/", boards.reply_new, name="reply_new"),
    path("threads/<int:thread_id>/like/", boards.like, name="like"),
    path("threads/<int:thread_id>/follow/", boards.follow, name="follow"),
    path("replies/<int:reply_id>/answer/", boards.answer, name="answer"),
    path("circles/", circles.circle_list, name="circles"),
    path("circles/new/", circles.circle_new, name="circle_new"),
    path("circles/<int:circle_id>/", circles.circle, name="circle"),
    path("circles/<int:circle_id>/join/", circles.circle_join, name="circle_join"),
    path("circles/<int:circle_id>/leave/", circles.circle_leave, name="circle_leave"),
    path("circles/<int:circle_id>/meetings/", circles.meeting_new, name="meeting_new"),
    path("circles/<int:circle_id>/posts/", circles.post_new, name="post_new"),
    path("circles/<int:circle_id>/files/", circles.file_share, name="file_share"),
    path("circles/requests/<int:membership_id>/", circles.request_decide, name="request_decide"),
    path("circles/meetings/<int:meeting_id>/cancel/", circles.meeting_cancel, name="meeting_cancel"),
    path("circles/files/<int:file_id>/", circles.file_download, name="file_download"),
    path("moderation/", moderation.queue, name="moderation"),
    path("moderation/<str:kind>/<int:pk>/hide/", moderation.hide, name="hide"),
    path("moderation/<str:kind>/<int:pk>/restore/", moderation.restore, name="restore"),
    path("moderation/<str:kind>/<int:pk>/report/", moderation.report, name="report"),
    path("moderation/reports/<int:report_id>/dismiss/", moderation.dismiss, name="dismiss"),
]
